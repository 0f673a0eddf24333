import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier } from '../../src/connectors/registry.ts';
import { octopiaAccount, startOctopiaFake } from '../fakes/cdiscount/server.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { appErrorOf, expectNoSecrets, jsonResponse, kits, localOptions, scriptedFetch } from './support.ts';

const tokenPath = '/auth/realms/maas/protocol/openid-connect/token';

describe('Cdiscount (Octopia) credential check', () => {
  let fake: FakeServer;
  const verify = credentialVerifier('cdiscount');
  const run = (changes: Record<string, string> = {}) =>
    verify({ credentials: { ...kits.cdiscount.credentials(fake), ...changes }, apiBaseUrl: fake.url }, localOptions);

  beforeEach(async () => {
    fake = await startOctopiaFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('gets a client_credentials token, then reads /sellers with the SellerId header', async () => {
    expect(await run()).toEqual({ accountKey: octopiaAccount.sellerId, displayName: octopiaAccount.shopName, sellerId: octopiaAccount.sellerId });
    const [token, sellers] = fake.requests;
    expect(token?.path).toBe(tokenPath);
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: octopiaAccount.clientId,
      client_secret: octopiaAccount.clientSecret,
    });
    expect(sellers?.path).toBe('/seller/v2/sellers');
    expect(sellers?.headers.sellerid).toBe(octopiaAccount.sellerId);
    expect(sellers?.headers.authorization).toMatch(/^Bearer /);
  });

  it('reports a wrong client secret as INVALID_CREDENTIALS at the token step', async () => {
    const error = await appErrorOf(run({ api_secret: 'wrong-secret-0000' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(fake.requestsTo(tokenPath)).toHaveLength(1);
    expect(fake.requestsTo('/seller/v2/sellers')).toHaveLength(0);
    expectNoSecrets(error, [...kits.cdiscount.secrets, 'wrong-secret-0000']);
  });

  it('reports a seller not linked to the client as INVALID_CREDENTIALS', async () => {
    const error = await appErrorOf(run({ seller_id: '12345' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.details.platformStatus).toBe(403);
    expect(fake.requestsTo('/seller/v2/sellers')).toHaveLength(1);
  });

  it('uses the documented production hosts', async () => {
    const scripted = scriptedFetch([() => jsonResponse(200, { access_token: 't' }), () => jsonResponse(200, {})]);
    const account = await verify({ credentials: kits.cdiscount.credentials(fake) }, { allowLocalUrls: false, http: { fetch: scripted.fetch } });
    expect(scripted.urls).toEqual([`https://auth.octopia-io.net${tokenPath}`, 'https://api.octopia-io.net/seller/v2/sellers']);
    expect(account.displayName).toBe(`Cdiscount seller ${octopiaAccount.sellerId}`);
  });
});
