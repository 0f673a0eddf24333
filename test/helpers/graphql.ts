import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphqlResponse<Result> {
  status: number;
  body: ExecutionResult<Result, { code?: string; [key: string]: unknown }>;
}

/** POSTs a typed operation as a GraphQL-over-HTTP client would. */
export async function postGraphql<Result, Variables>(
  baseUrl: string,
  document: TypedDocumentNode<Result, Variables>,
  variables?: Variables,
  headers: Record<string, string> = {},
): Promise<GraphqlResponse<Result>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphqlResponse<Result>['body'] };
}

/** A client bound to one caller: `gql(Document, variables)` → data, or throws with the errors. */
export function graphqlClient(baseUrl: string, authorization: string) {
  const call = <Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables?: Variables) =>
    postGraphql(baseUrl, document, variables, { authorization });
  return {
    call,
    async data<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables?: Variables): Promise<Result> {
      const { body } = await call(document, variables);
      if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    /** The first error's code, asserting the operation failed. */
    async errorCode<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables?: Variables) {
      const { body } = await call(document, variables);
      if (!body.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(body.data)}`);
      return body.errors[0]!.extensions?.code;
    },
  };
}

export function wsClient(baseUrl: string, authorization?: string, options: { keepOpen?: boolean } = {}): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: authorization ? { Authorization: authorization } : undefined,
    // Keeps one socket for the client's life instead of reconnecting per operation.
    ...(options.keepOpen ? { lazy: false, onNonLazyError: () => undefined } : {}),
  });
}

/** Runs one operation over graphql-ws and collects every result until it completes. */
export async function overWebSocket<Result, Variables>(
  baseUrl: string,
  document: TypedDocumentNode<Result, Variables>,
  variables?: Variables,
  authorization?: string,
): Promise<ExecutionResult<Result>[]> {
  const client = wsClient(baseUrl, authorization);
  try {
    const results: ExecutionResult<Result>[] = [];
    for await (const result of client.iterate({ query: print(document), variables: variables as Record<string, unknown> })) {
      results.push(result as ExecutionResult<Result>);
    }
    return results;
  } finally {
    await client.dispose();
  }
}

/**
 * Follows one job over graphql-ws: resolves `started` once its current state arrived,
 * `ended` when the server completes the stream (the job's final state).
 */
export function followJobStatuses(baseUrl: string, authorization: string, jobId: string) {
  const client = wsClient(baseUrl, authorization);
  const statuses: string[] = [];
  let markStarted: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const ended = new Promise<void>((resolve, reject) => {
    client.subscribe(
      { query: 'subscription ($jobId: ID) { syncJobUpdated(jobId: $jobId) { status } }', variables: { jobId } },
      {
        next: (result) => {
          statuses.push((result.data as { syncJobUpdated: { status: string } }).syncJobUpdated.status);
          markStarted();
        },
        error: reject,
        complete: resolve,
      },
    );
  }).finally(() => client.dispose());
  return { statuses, started, ended };
}
