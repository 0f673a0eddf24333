import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier } from '../../src/connectors/registry.ts';
import { shopifyShopOrigin } from '../../src/connectors/shopify/shop-domain.ts';
import { AppError } from '../../src/errors.ts';
import { shopifyAccount, startShopifyFake, type ShopifyFake } from '../fakes/shopify/server.ts';
import { appErrorOf, expectNoSecrets, fieldPaths, kits, localOptions, scriptedFetch } from './support.ts';

const graphqlPath = '/admin/api/2026-07/graphql.json';

describe('Shopify credential check', () => {
  let fake: ShopifyFake;
  const verify = credentialVerifier('shopify');
  const run = (changes: Record<string, string> = {}) => verify({ credentials: { ...kits.shopify.credentials(fake), ...changes } }, localOptions);

  beforeEach(async () => {
    fake = await startShopifyFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('queries the shop over Admin GraphQL and keys the account by its myshopify domain', async () => {
    expect(await run()).toEqual({
      accountKey: shopifyAccount.domain,
      displayName: shopifyAccount.name,
      shopUrl: `https://${shopifyAccount.domain}`,
      shopId: shopifyAccount.shopGid,
    });
    const [request] = fake.requestsTo(graphqlPath);
    expect(request?.method).toBe('POST');
    expect(request?.headers['x-shopify-access-token']).toBe(shopifyAccount.accessToken);
    expect(JSON.parse(request?.body ?? '{}')).toEqual({ query: '{ shop { id name myshopifyDomain } }' });
  });

  it('reports a wrong access token as INVALID_CREDENTIALS', async () => {
    const error = await appErrorOf(run({ access_token: 'shpat_wrong-token-0000' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toMatch(/^Shopify rejected the credentials \(HTTP 401\): \[API\] Invalid API key or access token/);
    expect(fake.requestsTo(graphqlPath)).toHaveLength(1);
    expectNoSecrets(error, [...kits.shopify.secrets, 'shpat_wrong-token-0000']);
  });

  it('reports a THROTTLED GraphQL answer as RATE_LIMITED', async () => {
    fake.graphql.throttled = true;
    const error = await appErrorOf(run());
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toMatch(/THROTTLED/);
  });

  it('sends a typed shop domain to https://<shop>.myshopify.com', async () => {
    const scripted = scriptedFetch([]);
    await appErrorOf(verify({ credentials: { shop_url: 'Atelier-Lumiere.myshopify.com', access_token: 'x' } }, { allowLocalUrls: false, http: { fetch: scripted.fetch, maxAttempts: 1 } }));
    expect(scripted.urls).toEqual([`https://atelier-lumiere.myshopify.com${graphqlPath}`]);
  });
});

describe('shopifyShopOrigin', () => {
  it.each([
    ['my-shop.myshopify.com', 'https://my-shop.myshopify.com'],
    ['  My-Shop.MyShopify.com  ', 'https://my-shop.myshopify.com'],
    ['https://my-shop.myshopify.com/', 'https://my-shop.myshopify.com'],
  ])('accepts %j', (input, origin) => {
    expect(shopifyShopOrigin(input, false)).toBe(origin);
  });

  it.each(['evil.example', 'my-shop.myshopify.com.evil.example', '-shop.myshopify.com', 'http://my-shop.myshopify.com', 'http://127.0.0.1:8080', 'my_shop.myshopify.com'])(
    'refuses %j on the shop_url field',
    (input) => {
      let error: unknown;
      try {
        shopifyShopOrigin(input, false);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect(fieldPaths(error as AppError)).toEqual([['credentials', 'shop_url']]);
    },
  );

  it('takes a local URL only with allowLocalUrls', () => {
    expect(shopifyShopOrigin('http://127.0.0.1:8080/', true)).toBe('http://127.0.0.1:8080');
  });
});
