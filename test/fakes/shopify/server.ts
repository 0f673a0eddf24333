import { header, json, startFakeServer, type FakeServer } from '../fake-server.ts';

/**
 * Shopify Admin GraphQL at /admin/api/2026-07/graphql.json, answering the shop
 * query. A bad token is a 401 `{"errors": "[API] Invalid API key or access token …"}`;
 * `throttled` answers 200 with a THROTTLED GraphQL error as Shopify does when
 * the cost bucket is empty.
 */
export const shopifyAccount = {
  accessToken: 'shpat_shopify-access-token-abcdef',
  domain: 'atelier-lumiere.myshopify.com',
  name: 'Atelier Lumière',
  shopGid: 'gid://shopify/Shop/548380009',
};

export type ShopifyFake = FakeServer & { graphql: { throttled: boolean } };

export async function startShopifyFake(account = shopifyAccount): Promise<ShopifyFake> {
  const graphql = { throttled: false };
  const errorBody = (_status: number, message: string) => ({ errors: message });
  const server = await startFakeServer({
    errorBody,
    handle(request) {
      if (request.method !== 'POST' || request.path !== '/admin/api/2026-07/graphql.json') return undefined;
      if (header(request, 'x-shopify-access-token') !== account.accessToken) {
        return json(401, errorBody(401, '[API] Invalid API key or access token (unrecognized login or wrong password)'));
      }
      if (graphql.throttled) {
        return json(200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] });
      }
      const { query } = JSON.parse(request.body) as { query?: string };
      if (!query?.includes('shop')) return json(200, { errors: [{ message: 'Field is not defined', extensions: { code: 'undefinedField' } }] });
      return json(200, {
        data: { shop: { id: account.shopGid, name: account.name, myshopifyDomain: account.domain } },
        extensions: { cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 } } },
      });
    },
  });
  return Object.assign(server, { graphql });
}
