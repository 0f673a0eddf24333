import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier } from '../../src/connectors/registry.ts';
import { amazonAccount, startAmazonFake } from '../fakes/amazon/server.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { appErrorOf, expectNoSecrets, fieldPaths, jsonResponse, kits, localOptions, scriptedFetch } from './support.ts';

const participationsPath = '/sellers/v1/marketplaceParticipations';

describe('Amazon credential check', () => {
  let fake: FakeServer;
  const verify = credentialVerifier('amazon');
  const credentials = (changes: Record<string, string> = {}) => ({ ...kits.amazon.credentials(fake), ...changes });
  const run = (changes: Record<string, string> = {}) => verify({ credentials: credentials(changes), apiBaseUrl: fake.url }, localOptions);

  beforeEach(async () => {
    fake = await startAmazonFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('exchanges the refresh token with LWA, then checks the marketplace participation', async () => {
    expect(await run()).toEqual({
      accountKey: `${amazonAccount.sellerId}:${amazonAccount.marketplaceId}`,
      displayName: amazonAccount.storeName,
      sellerId: amazonAccount.sellerId,
      marketplace: amazonAccount.marketplaceId,
    });
    const [token, participations] = fake.requests;
    expect(token?.path).toBe('/auth/o2/token');
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: amazonAccount.refreshToken,
      client_id: amazonAccount.clientId,
      client_secret: amazonAccount.clientSecret,
    });
    expect(participations?.path).toBe(participationsPath);
    expect(participations?.headers['x-amz-access-token']).toBe('Atza|amazon-access-token-xyz');
  });

  it('reports a refused refresh token (400 invalid_grant) as INVALID_CREDENTIALS', async () => {
    const error = await appErrorOf(run({ refresh_token: 'Atzr|revoked-refresh-0000' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.details.platformStatus).toBe(400);
    expect(fake.requestsTo('/auth/o2/token')).toHaveLength(1);
    expect(fake.requestsTo(participationsPath)).toHaveLength(0);
    expectNoSecrets(error, [...kits.amazon.secrets, 'Atzr|revoked-refresh-0000']);
  });

  it('refuses a marketplace the seller does not sell on', async () => {
    const error = await appErrorOf(run({ marketplace: 'A1PA6795UKMFR9' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(fieldPaths(error)).toEqual([['credentials', 'marketplace']]);
  });

  it('refuses an unknown marketplace id before any request', async () => {
    const error = await appErrorOf(run({ marketplace: 'NOTAMARKETPLACE' }));
    expect(fieldPaths(error)).toEqual([['credentials', 'marketplace']]);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['A13V1IB3VIYZZH', 'https://sellingpartnerapi-eu.amazon.com'],
    ['ATVPDKIKX0DER', 'https://sellingpartnerapi-na.amazon.com'],
    ['A1VC38T7YXB528', 'https://sellingpartnerapi-fe.amazon.com'],
  ])('sends marketplace %s to LWA and its regional host %s', async (marketplace, host) => {
    const scripted = scriptedFetch([
      () => jsonResponse(200, { access_token: 't', expires_in: 3600 }),
      () => jsonResponse(200, { payload: [{ marketplace: { id: marketplace }, participation: { isParticipating: true }, storeName: 's' }] }),
    ]);
    await verify({ credentials: credentials({ marketplace }) }, { allowLocalUrls: false, http: { fetch: scripted.fetch } });
    expect(scripted.urls).toEqual(['https://api.amazon.com/auth/o2/token', `${host}${participationsPath}`]);
  });
});
