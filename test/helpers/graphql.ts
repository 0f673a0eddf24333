import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** POSTs a typed operation as a GraphQL-over-HTTP client would. */
export async function postGraphql<Result, Variables>(
  baseUrl: string,
  document: TypedDocumentNode<Result, Variables>,
  variables?: Variables,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: ExecutionResult<Result> }> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, body: (await response.json()) as ExecutionResult<Result> };
}

/** Runs one operation over graphql-ws and collects every result until it completes. */
export async function overWebSocket<Result, Variables>(
  baseUrl: string,
  document: TypedDocumentNode<Result, Variables>,
  variables?: Variables,
): Promise<ExecutionResult<Result>[]> {
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
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
