import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorError, connectorErrorToAppError } from '../../src/connectors/http/connector-error.ts';
import { createHttpClient, type HttpClientOptions } from '../../src/connectors/http/http-client.ts';
import { requestAccessToken } from '../../src/connectors/http/oauth-token.ts';
import { header, json, startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../fakes/fake-server.ts';
import { expectNoSecrets } from './support.ts';

const anything = z.unknown();
const secret = 'super-secret-token-1234';

/** A generic JSON API whose answer a test sets per request. */
let answer: (request: RecordedRequest) => FakeResponse | undefined;
let fake: FakeServer;
const sleeps: number[] = [];
const fast: Partial<HttpClientOptions> = {
  backoffBaseMs: 10,
  backoffCapMs: 100,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
};
const client = (overrides: Partial<HttpClientOptions> = {}) => createHttpClient({ platform: 'Testshop', secrets: [secret] }, { ...fast, ...overrides });
const url = (path = '/thing') => new URL(path, fake.url);

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expectNoSecrets(error as ConnectorError, [secret]);
  return error as ConnectorError;
}

beforeEach(async () => {
  sleeps.length = 0;
  answer = () => json(200, { ok: true });
  fake = await startFakeServer({ handle: (request) => answer(request), errorBody: (_status, message) => ({ message }) });
});
afterEach(async () => {
  await fake.close();
});

describe('HTTP client', () => {
  it('returns the validated JSON', async () => {
    const response = await client().json({ url: url() }, z.object({ ok: z.boolean() }));
    expect(response).toMatchObject({ status: 200, data: { ok: true } });
    expect(header(fake.requests[0]!, 'accept')).toBe('application/json');
  });

  it('maps 429 with Retry-After (seconds) to RATE_LIMITED and does not retry', async () => {
    answer = () => json(429, { message: 'slow down' }, { 'retry-after': '7' });
    const error = await failure(client().json({ url: url() }, anything));
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', status: 429, retryAfterSeconds: 7 });
    expect(error.message).toBe('Testshop is limiting requests (HTTP 429); retry after 7 s: slow down');
    expect(fake.requests).toHaveLength(1);
  });

  it('reads an HTTP-date Retry-After and caps it', async () => {
    answer = () => json(429, {}, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() });
    const error = await failure(client({ retryAfterCapSeconds: 120 }).json({ url: url() }, anything));
    expect(error.retryAfterSeconds).toBe(120);
  });

  it('retries a 5xx with capped, jittered backoff and then succeeds', async () => {
    let calls = 0;
    answer = () => (++calls < 3 ? json(502, { message: 'bad gateway' }) : json(200, { ok: true }));
    const response = await client({ maxAttempts: 3 }).json({ url: url() }, anything);
    expect(response.data).toEqual({ ok: true });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThanOrEqual(10);
    expect(sleeps[1]).toBeLessThanOrEqual(20);
  });

  it('gives up after maxAttempts on a lasting 5xx: PLATFORM_UNAVAILABLE', async () => {
    answer = () => json(500, { message: 'oops' });
    const error = await failure(client({ maxAttempts: 4 }).json({ url: url() }, anything));
    expect(error).toMatchObject({ kind: 'PLATFORM_UNAVAILABLE', status: 500 });
    expect(fake.requests).toHaveLength(4);
  });

  it('does not retry a POST unless it is marked idempotent', async () => {
    answer = () => json(503, {});
    await failure(client().json({ method: 'POST', url: url(), json: { a: 1 } }, anything));
    expect(fake.requests).toHaveLength(1);
    await failure(client().json({ method: 'POST', url: url(), json: { a: 1 }, idempotent: true }, anything));
    expect(fake.requests).toHaveLength(4);
  });

  it('waits a short Retry-After on 503 but hands a long one back to the caller', async () => {
    let calls = 0;
    answer = () => (++calls === 1 ? json(503, {}, { 'retry-after': '0' }) : json(200, {}));
    await client().json({ url: url() }, anything);
    expect(sleeps).toEqual([0]);

    answer = () => json(503, {}, { 'retry-after': '60' });
    const error = await failure(client().json({ url: url() }, anything));
    expect(error).toMatchObject({ kind: 'PLATFORM_UNAVAILABLE', retryAfterSeconds: 60 });
    expect(fake.requests).toHaveLength(3);
  });

  it('retries network errors and then reports PLATFORM_UNAVAILABLE without the URL', async () => {
    const closed = new URL('/x?api_key=' + secret, fake.url);
    await fake.close();
    const error = await failure(client({ maxAttempts: 2 }).json({ url: closed }, anything));
    expect(error.kind).toBe('PLATFORM_UNAVAILABLE');
    expect(error.message).toBe('Could not reach Testshop (network error ECONNREFUSED)');
    expect(sleeps).toHaveLength(1);
    fake = await startFakeServer({ handle: () => undefined, errorBody: () => ({}) });
  });

  it('never follows a redirect', async () => {
    const target = await startFakeServer({ handle: () => json(200, { stolen: true }), errorBody: () => ({}) });
    try {
      answer = () => ({ status: 307, headers: { location: `${target.url}/collect` } });
      const error = await failure(client().json({ url: url() }, anything));
      expect(error).toMatchObject({ kind: 'PLATFORM_UNAVAILABLE', status: 307 });
      expect(error.message).toBe('Testshop answered with a redirect (HTTP 307), which is not followed');
      expect(error.message).not.toContain(target.url);
      expect(target.requests).toHaveLength(0);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await target.close();
    }
  });

  it('times out each attempt', async () => {
    fake.knobs.delayMs = 1_000;
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 100, maxAttempts: 2 }).json({ url: url() }, anything));
    expect(error.message).toBe('Testshop did not answer within 100 ms');
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('stops reading a streamed body past the size cap', async () => {
    answer = () => ({ status: 200, text: JSON.stringify({ filler: 'x'.repeat(50_000) }) });
    const error = await failure(client({ maxResponseBytes: 10_000 }).json({ url: url() }, anything));
    expect(error.message).toBe('Testshop sent a response larger than 10000 bytes (HTTP 200)');
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses a declared Content-Length past the size cap before reading', async () => {
    answer = () => ({ status: 200, text: 'x'.repeat(20_000), headers: { 'content-length': '20000' } });
    const error = await failure(client({ maxResponseBytes: 10_000 }).json({ url: url() }, anything));
    expect(error.kind).toBe('PLATFORM_UNAVAILABLE');
    expect(error.message).toMatch(/larger than 10000 bytes/);
  });

  it('says so when a success body is not JSON or not the expected shape', async () => {
    answer = () => ({ status: 200, text: '<html>maintenance</html>' });
    expect((await failure(client().json({ url: url() }, anything))).message).toBe('Testshop answered with a body that is not JSON (HTTP 200)');
    answer = () => json(200, { items: 'nope' });
    const shape = z.object({ items: z.array(z.string()) });
    expect((await failure(client().json({ url: url() }, shape))).message).toBe('Testshop answered in an unexpected shape (HTTP 200, at items)');
  });

  it('maps 4xx statuses to kinds with the platform message', async () => {
    const cases = [
      [401, 'INVALID_CREDENTIALS'],
      [403, 'INVALID_CREDENTIALS'],
      [404, 'NOT_FOUND'],
      [400, 'VALIDATION'],
      [422, 'VALIDATION'],
    ] as const;
    for (const [status, kind] of cases) {
      answer = () => json(status, { errors: [{ code: 'X', message: 'technical', userMessage: `user message ${status}` }] });
      const error = await failure(client().json({ url: url() }, anything));
      expect(error.kind).toBe(kind);
      expect(error.message).toMatch(new RegExp(`\\(HTTP ${status}\\): user message ${status}$`));
    }
  });

  it('scrubs secrets a platform echoes back, including those only sent in headers and forms', async () => {
    const headerToken = 'header-only-token-5678';
    const formSecret = 'form-only-secret-9012';
    answer = (request) => json(401, { message: `bad ${header(request, 'authorization')} / ${request.body} / ${secret}` });
    const error = await failure(
      client().json({ method: 'POST', url: url(), headers: { authorization: `Bearer ${headerToken}` }, body: new URLSearchParams({ client_secret: formSecret }) }, anything),
    );
    expect(error.message).toContain('[redacted]');
    expectNoSecrets(error, [headerToken, formSecret]);
  });

  it('classifies OAuth token errors by their code, whatever the status', async () => {
    answer = () => json(400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
    const error = await failure(requestAccessToken(client(), { url: url('/token'), form: { grant_type: 'refresh_token', refresh_token: secret } }));
    expect(error).toMatchObject({ kind: 'INVALID_CREDENTIALS', status: 400 });
    expect(error.message).toBe('Testshop rejected the credentials (HTTP 400): refresh token revoked');

    answer = () => json(400, { error: 'invalid_request', error_description: 'grant_type missing' });
    expect((await failure(requestAccessToken(client(), { url: url('/token'), form: {} }))).kind).toBe('VALIDATION');
  });
});

describe('connectorErrorToAppError', () => {
  it.each([
    ['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS'],
    ['RATE_LIMITED', 'RATE_LIMITED'],
    ['NOT_FOUND', 'NOT_FOUND'],
    ['VALIDATION', 'BAD_USER_INPUT'],
    ['PLATFORM_UNAVAILABLE', 'PLATFORM_UNAVAILABLE'],
  ] as const)('maps %s to %s', (kind, code) => {
    const error = new ConnectorError(kind, 'Testshop said no (HTTP 418)', { platform: 'Testshop', status: 418, retryAfterSeconds: 5 });
    const appError = connectorErrorToAppError(error);
    expect(appError).toMatchObject({ code, message: error.message, details: { platform: 'Testshop', platformStatus: 418, retryAfterSeconds: 5 } });
    expect(appError.cause).toBe(error);
  });
});
