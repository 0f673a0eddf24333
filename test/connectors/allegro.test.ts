import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier } from '../../src/connectors/registry.ts';
import { allegroAccount, startAllegroFake } from '../fakes/allegro/server.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { appErrorOf, expectNoSecrets, jsonResponse, kits, localOptions, scriptedFetch } from './support.ts';

describe('Allegro credential check', () => {
  let fake: FakeServer;
  const verify = credentialVerifier('allegro');
  const credentials = (changes: Record<string, string> = {}) => ({ ...kits.allegro.credentials(fake), ...changes });

  beforeEach(async () => {
    fake = await startAllegroFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('reads GET /me with the bearer token and the Allegro media type', async () => {
    const account = await verify({ credentials: credentials(), apiBaseUrl: fake.url }, localOptions);
    expect(account).toEqual({ accountKey: allegroAccount.userId, displayName: allegroAccount.login, sellerId: allegroAccount.userId, marketplace: 'allegro-pl' });
    const [request] = fake.requestsTo('/me');
    expect(request?.headers.accept).toBe('application/vnd.allegro.public.v1+json');
    expect(request?.headers.authorization).toBe(`Bearer ${allegroAccount.accessToken}`);
  });

  it('keeps the marketplace the merchant chose', async () => {
    const account = await verify({ credentials: credentials({ marketplace: 'allegro-cz' }), apiBaseUrl: fake.url }, localOptions);
    expect(account.marketplace).toBe('allegro-cz');
  });

  it('reports a wrong token as INVALID_CREDENTIALS with the AuthError description', async () => {
    const error = await appErrorOf(verify({ credentials: credentials({ access_token: 'expired-token-0000' }), apiBaseUrl: fake.url }, localOptions));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toBe('Allegro rejected the credentials (HTTP 401): Full authentication is required to access this resource');
    expect(fake.requestsTo('/me')).toHaveLength(1);
    expectNoSecrets(error, [...kits.allegro.secrets, 'expired-token-0000']);
  });

  it('talks to production by default and to the sandbox when configured', async () => {
    for (const [apiBaseUrl, expected] of [
      [undefined, 'https://api.allegro.pl/me'],
      ['https://api.allegro.pl.allegrosandbox.pl/', 'https://api.allegro.pl.allegrosandbox.pl/me'],
    ] as const) {
      const scripted = scriptedFetch([() => jsonResponse(200, { id: '1', login: 'x' })]);
      await verify({ credentials: credentials(), apiBaseUrl }, { allowLocalUrls: false, http: { fetch: scripted.fetch } });
      expect(scripted.urls).toEqual([expected]);
    }
  });
});
