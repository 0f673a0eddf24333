import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier } from '../../src/connectors/registry.ts';
import { etsyAccount, otherEtsyShopId, startEtsyFake } from '../fakes/etsy/server.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { appErrorOf, expectNoSecrets, fieldPaths, kits, localOptions } from './support.ts';

describe('Etsy credential check', () => {
  let fake: FakeServer;
  const verify = credentialVerifier('etsy');
  const credentials = (changes: Record<string, string> = {}) => ({ ...kits.etsy.credentials(fake), ...changes });
  const run = (changes: Record<string, string> = {}) => verify({ credentials: credentials(changes), apiBaseUrl: fake.url }, localOptions);

  beforeEach(async () => {
    fake = await startEtsyFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('reads the user, then the shop, with keystring:shared_secret and the bearer token', async () => {
    expect(await run()).toEqual({
      accountKey: String(etsyAccount.shopId),
      displayName: etsyAccount.shopName,
      shopId: String(etsyAccount.shopId),
      sellerId: String(etsyAccount.userId),
      shopUrl: `https://www.etsy.com/shop/${etsyAccount.shopName}`,
    });
    expect(fake.requests.map((r) => r.path)).toEqual(['/v3/application/users/me', `/v3/application/shops/${etsyAccount.shopId}`]);
    expect(fake.requests[0]?.headers['x-api-key']).toBe(`${etsyAccount.keystring}:${etsyAccount.sharedSecret}`);
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${etsyAccount.accessToken}`);
  });

  it('reports a wrong access token as INVALID_CREDENTIALS', async () => {
    const wrong = '12345678.wrong-access-token';
    const error = await appErrorOf(run({ access_token: wrong }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toMatch(/^Etsy rejected the credentials \(HTTP 401\)/);
    expect(fake.requestsTo('/v3/application/users/me')).toHaveLength(1);
    expectNoSecrets(error, [...kits.etsy.secrets, wrong]);
  });

  it('reports a wrong shared secret as INVALID_CREDENTIALS', async () => {
    const error = await appErrorOf(run({ api_secret: 'not-the-shared-secret' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.details.platformStatus).toBe(403);
    expectNoSecrets(error, [...kits.etsy.secrets, 'not-the-shared-secret']);
  });

  it('refuses a shop that belongs to another user', async () => {
    const error = await appErrorOf(run({ shop_id: String(otherEtsyShopId) }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(fieldPaths(error)).toEqual([['credentials', 'shop_id']]);
    expect(error.message).toMatch(/does not belong/);
  });

  it('reports an unknown shop on the shop_id field', async () => {
    const error = await appErrorOf(run({ shop_id: '5' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(fieldPaths(error)).toEqual([['credentials', 'shop_id']]);
    expect(error.message).toBe('Etsy has no shop 5');
  });

  it('refuses a shop_id that is not a number, before any request', async () => {
    const error = await appErrorOf(run({ shop_id: '../users/me' }));
    expect(fieldPaths(error)).toEqual([['credentials', 'shop_id']]);
    expect(fake.requests).toHaveLength(0);
  });
});
