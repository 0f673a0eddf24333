import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier } from '../../src/connectors/registry.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { manomanoAccount, startManomanoFake } from '../fakes/manomano/server.ts';
import { appErrorOf, expectNoSecrets, fieldPaths, kits, localOptions } from './support.ts';

const offersPath = '/api/v1/offer-information/offers';

describe('ManoMano credential check (unverified API)', () => {
  let fake: FakeServer;
  const verify = credentialVerifier('manomano');
  const run = (changes: Record<string, string> = {}) =>
    verify({ credentials: { ...kits.manomano.credentials(fake), ...changes }, apiBaseUrl: fake.url }, localOptions);

  beforeEach(async () => {
    fake = await startManomanoFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('reads one offer of the seller contract with x-api-key', async () => {
    expect(await run()).toEqual({
      accountKey: manomanoAccount.sellerContractId,
      displayName: `ManoMano seller contract ${manomanoAccount.sellerContractId}`,
      shopId: manomanoAccount.sellerContractId,
    });
    const [request] = fake.requestsTo(offersPath);
    expect(request?.headers['x-api-key']).toBe(manomanoAccount.apiKey);
    expect(request?.query.get('seller_contract_id')).toBe(manomanoAccount.sellerContractId);
  });

  it('reports a wrong API key as INVALID_CREDENTIALS', async () => {
    const error = await appErrorOf(run({ api_key: 'wrong-api-key-0000' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(fake.requestsTo(offersPath)).toHaveLength(1);
    expectNoSecrets(error, [...kits.manomano.secrets, 'wrong-api-key-0000']);
  });

  it('reports a seller contract the key may not use as INVALID_CREDENTIALS', async () => {
    const error = await appErrorOf(run({ shop_id: '999' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.details.platformStatus).toBe(403);
  });

  it('refuses a seller contract id that is not a number, before any request', async () => {
    const error = await appErrorOf(run({ shop_id: 'abc' }));
    expect(fieldPaths(error)).toEqual([['credentials', 'shop_id']]);
    expect(fake.requests).toHaveLength(0);
  });
});
