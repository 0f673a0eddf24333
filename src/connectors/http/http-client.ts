import type { z } from 'zod';
import { fullJitterDelayMs } from './backoff.ts';
import { ConnectorError, type ConnectorErrorKind } from './connector-error.ts';
import { platformMessage, scrubbed } from './platform-message.ts';
import { readBodyCapped, TOO_LARGE } from './read-body.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface HttpClientOptions {
  /** Per attempt: connecting, headers and the whole body. */
  timeoutMs: number;
  maxResponseBytes: number;
  /** Attempts of an idempotent request on network errors, timeouts and 5xx (1 = no retry). */
  maxAttempts: number;
  backoffBaseMs: number;
  /** Longest wait between attempts; a Retry-After beyond it ends the retries instead. */
  backoffCapMs: number;
  /** Longest Retry-After reported to callers. */
  retryAfterCapSeconds: number;
  userAgent: string;
  fetch: typeof globalThis.fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultHttpClientOptions: HttpClientOptions = {
  timeoutMs: 15_000,
  maxResponseBytes: 8 * 1024 * 1024,
  maxAttempts: 3,
  backoffBaseMs: 250,
  backoffCapMs: 2_000,
  retryAfterCapSeconds: 300,
  userAgent: 'marketplace-integrations-hub',
  fetch: (input, init) => globalThis.fetch(input, init),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Who the client talks for: named in every error, with the values no error may contain. */
export interface HttpClientIdentity {
  /** Display name, e.g. "Etsy". */
  platform: string;
  /** Credential values to scrub from messages (header and form secrets are added per request). */
  secrets?: readonly string[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method?: HttpMethod;
  url: URL;
  headers?: Record<string, string>;
  /** Form bodies (OAuth token requests) or a raw string. */
  body?: URLSearchParams | string;
  json?: unknown;
  /** Safe to send twice. Defaults to true for GET, PUT and DELETE; set it for read-only POSTs. */
  idempotent?: boolean;
  /** Platform-specific reading of an error answer (e.g. OAuth `invalid_grant` on a 400). */
  classifyError?: (status: number, body: unknown) => ConnectorErrorKind | undefined;
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export interface HttpClient {
  readonly platform: string;
  /** Sends the request (retrying when safe) and validates the JSON answer against `schema`. */
  json<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<JsonResponse<T>>;
}

type Attempt<T> = { ok: true; value: JsonResponse<T> } | { ok: false; error: ConnectorError; retryable: boolean };
type FailureFacts = { status?: number; retryAfterSeconds?: number; cause?: unknown };

const sensitiveName = /authori[sz]ation|token|secret|key|password/i;

export function createHttpClient(identity: HttpClientIdentity, overrides: Partial<HttpClientOptions> = {}): HttpClient {
  const options = { ...defaultHttpClientOptions, ...overrides };
  const { platform } = identity;

  async function json<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<JsonResponse<T>> {
    const method = request.method ?? 'GET';
    const idempotent = request.idempotent ?? (method === 'GET' || method === 'PUT' || method === 'DELETE');
    const secrets = secretsOf(identity, request);
    for (let attempt = 1; ; attempt++) {
      const result = await attemptOnce(request, method, schema, secrets);
      if (result.ok) return result.value;
      const { error } = result;
      if (!result.retryable || !idempotent || attempt >= options.maxAttempts) throw error;
      const delayMs =
        error.retryAfterSeconds !== undefined
          ? error.retryAfterSeconds * 1000
          : fullJitterDelayMs(attempt - 1, options.backoffBaseMs, options.backoffCapMs, options.random);
      // A platform asking for a longer pause than we wait in-line: hand it to the caller to reschedule.
      if (delayMs > options.backoffCapMs) throw error;
      await options.sleep(delayMs);
    }
  }

  async function attemptOnce<T>(
    request: HttpRequest,
    method: HttpMethod,
    schema: z.ZodType<T>,
    secrets: string[],
  ): Promise<Attempt<T>> {
    const fail = (kind: ConnectorErrorKind, message: string, retryable: boolean, extra: FailureFacts = {}): Attempt<T> => {
      const details = { platform, status: extra.status, retryAfterSeconds: extra.retryAfterSeconds };
      return { ok: false, retryable, error: new ConnectorError(kind, message, details, { cause: extra.cause }) };
    };
    try {
      const response = await options.fetch(request.url, {
        method,
        headers: headersOf(request, options.userAgent),
        body: request.json !== undefined ? JSON.stringify(request.json) : request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const { status } = response;
      if (status >= 300 && status < 400) {
        await response.body?.cancel().catch(() => {});
        return fail('PLATFORM_UNAVAILABLE', `${platform} answered with a redirect (HTTP ${status}), which is not followed`, false, { status });
      }
      const raw = await readBodyCapped(response, options.maxResponseBytes);
      if (raw === TOO_LARGE) {
        const message = `${platform} sent a response larger than ${options.maxResponseBytes} bytes (HTTP ${status})`;
        return fail('PLATFORM_UNAVAILABLE', message, false, { status });
      }
      const body = parseJson(raw);
      if (status < 200 || status >= 300) {
        const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), options.retryAfterCapSeconds);
        const kind = request.classifyError?.(status, body.value) ?? kindOfStatus(status);
        const detail = platformMessage(body.value);
        const message = describe(kind, platform, status, retryAfterSeconds) + (detail ? `: ${scrubbed(detail, secrets)}` : '');
        return fail(kind, message, kind === 'PLATFORM_UNAVAILABLE' && status >= 500, { status, retryAfterSeconds });
      }
      if (!body.ok) {
        return fail('PLATFORM_UNAVAILABLE', `${platform} answered with a body that is not JSON (HTTP ${status})`, false, { status });
      }
      const parsed = schema.safeParse(body.value);
      if (!parsed.success) {
        const where = parsed.error.issues[0]?.path.join('.') || 'body';
        const message = `${platform} answered in an unexpected shape (HTTP ${status}, at ${where})`;
        return fail('PLATFORM_UNAVAILABLE', message, false, { status });
      }
      return { ok: true, value: { status, headers: response.headers, data: parsed.data } };
    } catch (error) {
      if (isTimeout(error)) {
        return fail('PLATFORM_UNAVAILABLE', `${platform} did not answer within ${options.timeoutMs} ms`, true, { cause: error });
      }
      return fail('PLATFORM_UNAVAILABLE', `Could not reach ${platform} (${networkCode(error)})`, true, { cause: error });
    }
  }

  return { platform, json };
}

function headersOf(request: HttpRequest, userAgent: string): Headers {
  const headers = new Headers({ accept: 'application/json', 'user-agent': userAgent });
  if (request.json !== undefined) headers.set('content-type', 'application/json');
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  return headers;
}

/** Credential values, secret-looking headers (with and without their scheme) and form fields; longest first. */
function secretsOf(identity: HttpClientIdentity, request: HttpRequest): string[] {
  const found = new Set(identity.secrets ?? []);
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!sensitiveName.test(name)) continue;
    found.add(value);
    const [, credential] = /^\S+\s+(.+)$/.exec(value) ?? [];
    if (credential) {
      found.add(credential);
      if (/^basic$/i.test(value.split(' ')[0] ?? '')) {
        for (const part of Buffer.from(credential, 'base64').toString('utf8').split(':')) found.add(part);
      }
    }
  }
  if (request.body instanceof URLSearchParams) {
    for (const [name, value] of request.body) if (sensitiveName.test(name)) found.add(value);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; value: undefined } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false, value: undefined };
  }
}

function kindOfStatus(status: number): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'INVALID_CREDENTIALS';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 400 && status < 500) return 'VALIDATION';
  return 'PLATFORM_UNAVAILABLE';
}

function describe(kind: ConnectorErrorKind, platform: string, status: number, retryAfterSeconds: number | undefined): string {
  switch (kind) {
    case 'INVALID_CREDENTIALS':
      return `${platform} rejected the credentials (HTTP ${status})`;
    case 'RATE_LIMITED':
      return `${platform} is limiting requests (HTTP ${status})` + (retryAfterSeconds !== undefined ? `; retry after ${retryAfterSeconds} s` : '');
    case 'NOT_FOUND':
      return `${platform} found no such resource (HTTP ${status})`;
    case 'VALIDATION':
      return `${platform} refused the request (HTTP ${status})`;
    case 'PLATFORM_UNAVAILABLE':
      return `${platform} is unavailable (HTTP ${status})`;
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** A short, secret-free reason for a failed connection, e.g. ECONNREFUSED. */
function networkCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `network error ${code}` : 'network error';
}
