import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier } from '../../src/connectors/registry.ts';
import { ebayAccount, startEbayFake } from '../fakes/ebay/server.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { appErrorOf, expectNoSecrets, fieldPaths, jsonResponse, kits, localOptions, scriptedFetch } from './support.ts';

const tokenPath = '/identity/v1/oauth2/token';
const userPath = '/commerce/identity/v1/user/';

describe('eBay credential check', () => {
  let fake: FakeServer;
  const verify = credentialVerifier('ebay');
  const credentials = (changes: Record<string, string> = {}) => ({ ...kits.ebay.credentials(fake), ...changes });
  const run = (changes: Record<string, string> = {}) => verify({ credentials: credentials(changes), apiBaseUrl: fake.url }, localOptions);

  beforeEach(async () => {
    fake = await startEbayFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('refreshes a user token with Basic client credentials, then reads the identity user', async () => {
    expect(await run({ marketplace: 'ebay_fr' })).toEqual({
      accountKey: `${ebayAccount.userId}:EBAY_FR`,
      displayName: ebayAccount.username,
      sellerId: ebayAccount.userId,
      marketplace: 'EBAY_FR',
    });
    const [token, user] = fake.requests;
    expect(token?.path).toBe(tokenPath);
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from(`${ebayAccount.clientId}:${ebayAccount.clientSecret}`).toString('base64')}`);
    const form = new URLSearchParams(token?.body);
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('scope')?.split(' ')).toEqual(ebayAccount.grantedScopes);
    expect(user?.path).toBe(userPath);
    expect(user?.headers['x-ebay-c-marketplace-id']).toBe('EBAY_FR');
  });

  it('reports a refused refresh token (400 invalid_grant) as INVALID_CREDENTIALS', async () => {
    const error = await appErrorOf(run({ refresh_token: 'v^1.1#revoked-0000' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toMatch(/^eBay rejected the credentials \(HTTP 400\): the provided authorization refresh token is invalid/);
    expect(fake.requestsTo(tokenPath)).toHaveLength(1);
    expect(fake.requestsTo(userPath)).toHaveLength(0);
    expectNoSecrets(error, [...kits.ebay.secrets, 'v^1.1#revoked-0000']);
  });

  it('reports a refresh token granted without the identity scope as INVALID_CREDENTIALS', async () => {
    await fake.close();
    fake = await startEbayFake({ ...ebayAccount, grantedScopes: ['https://api.ebay.com/oauth/api_scope/sell.inventory'] });
    const error = await appErrorOf(run());
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toMatch(/scope/);
  });

  it('refuses a marketplace that is not an eBay marketplace id, before any request', async () => {
    const error = await appErrorOf(run({ marketplace: 'France' }));
    expect(fieldPaths(error)).toEqual([['credentials', 'marketplace']]);
    expect(fake.requests).toHaveLength(0);
  });

  it('uses api.ebay.com for tokens and apiz.ebay.com for identity', async () => {
    const scripted = scriptedFetch([() => jsonResponse(200, { access_token: 't', expires_in: 7200 }), () => jsonResponse(200, { userId: 'u1' })]);
    await verify({ credentials: credentials() }, { allowLocalUrls: false, http: { fetch: scripted.fetch } });
    expect(scripted.urls).toEqual([`https://api.ebay.com${tokenPath}`, `https://apiz.ebay.com${userPath}`]);
  });
});
