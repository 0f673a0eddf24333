import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status: number;
  json?: unknown;
  /** A raw body instead of JSON (broken or oversized answers). */
  text?: string;
  headers?: Record<string, string>;
}

/** Misbehaviour to switch on from a test; applied before the platform's routes. */
export interface FakeKnobs {
  /** Answer 429 (with this Retry-After when given) to every request. */
  rateLimit?: { retryAfter?: string };
  /** Answer 503 to the next N requests (Infinity: to all of them). */
  serverErrors?: number;
  /** Answer every request with a 302 to this location. */
  redirectTo?: string;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface FakeServer {
  /** http://127.0.0.1:<port>, to use as apiBaseUrl / shop URL with allowLocalUrls. */
  url: string;
  requests: RecordedRequest[];
  knobs: FakeKnobs;
  /** Requests received on one path. */
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeDefinition {
  /** The platform's routes; undefined → 404 in the platform's error shape. */
  handle(request: RecordedRequest): FakeResponse | undefined;
  /** The platform's documented error body for a status. */
  errorBody(status: number, message: string): unknown;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, json: body, headers };
}

/** A node:http server on 127.0.0.1, port 0, recording every request. */
export async function startFakeServer(definition: FakeDefinition): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const knobs: FakeKnobs = {};
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = () => {
        timers.delete(timer);
        const response = misbehaviour(knobs, definition) ?? definition.handle(recorded) ?? json(404, definition.errorBody(404, 'Not found'));
        if (res.destroyed) return;
        const body = response.text ?? (response.json === undefined ? '' : JSON.stringify(response.json));
        const type = response.json === undefined ? {} : { 'content-type': 'application/json' };
        res.writeHead(response.status, { ...type, ...response.headers });
        res.end(body);
      };
      const timer = setTimeout(answer, knobs.delayMs ?? 0);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    knobs,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function misbehaviour(knobs: FakeKnobs, definition: FakeDefinition): FakeResponse | undefined {
  if (knobs.redirectTo) return { status: 302, headers: { location: knobs.redirectTo } };
  if (knobs.rateLimit) {
    const headers: Record<string, string> = {};
    if (knobs.rateLimit.retryAfter !== undefined) headers['retry-after'] = knobs.rateLimit.retryAfter;
    return json(429, definition.errorBody(429, 'Too many requests'), headers);
  }
  if (knobs.serverErrors && knobs.serverErrors > 0) {
    knobs.serverErrors -= 1;
    return json(503, definition.errorBody(503, 'Service unavailable'));
  }
  return undefined;
}

/** The value of a header that may be repeated, as one string. */
export function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The `user:password` of a Basic Authorization header. */
export function basicCredentials(request: RecordedRequest): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header(request, 'authorization') ?? '');
  return match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : undefined;
}

export function bearerToken(request: RecordedRequest): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header(request, 'authorization') ?? '')?.[1];
}
