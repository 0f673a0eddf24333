import { bearerToken, header, json, startFakeServer, type FakeServer } from '../fake-server.ts';

/**
 * Etsy Open API v3 (specs/etsy): getMe and getShop. Every request needs
 * x-api-key `keystring:shared_secret`; getMe also the OAuth bearer token.
 * Errors are the spec's ErrorSchema `{"error": "…"}`.
 */
export const etsyAccount = {
  keystring: 'etsy-keystring-1234',
  sharedSecret: 'etsy-shared-secret-5678',
  accessToken: '12345678.etsy-access-token-abcdef',
  userId: 12345678,
  shopId: 87654321,
  shopName: 'AtelierLumiere',
};

/** A shop of another Etsy user, for the "shop is not yours" case. */
export const otherEtsyShopId = 11112222;

export function startEtsyFake(account = etsyAccount): Promise<FakeServer> {
  const shops = new Map([
    [account.shopId, { shop_id: account.shopId, user_id: account.userId, shop_name: account.shopName, url: `https://www.etsy.com/shop/${account.shopName}` }],
    [otherEtsyShopId, { shop_id: otherEtsyShopId, user_id: 999, shop_name: 'SomeoneElse', url: 'https://www.etsy.com/shop/SomeoneElse' }],
  ]);
  const errorBody = (_status: number, message: string) => ({ error: message });
  return startFakeServer({
    errorBody,
    handle(request) {
      const apiKey = header(request, 'x-api-key');
      if (apiKey === account.keystring) return json(403, errorBody(403, 'Shared secret is required in x-api-key header.'));
      if (apiKey !== `${account.keystring}:${account.sharedSecret}`) return json(403, errorBody(403, 'Invalid API key'));
      if (request.method === 'GET' && request.path === '/v3/application/users/me') {
        if (bearerToken(request) !== account.accessToken) return json(401, errorBody(401, 'invalid_token'));
        return json(200, { user_id: account.userId, shop_id: account.shopId });
      }
      const shopMatch = /^\/v3\/application\/shops\/(\d+)$/.exec(request.path);
      if (request.method === 'GET' && shopMatch) {
        const shop = shops.get(Number(shopMatch[1]));
        return shop ? json(200, shop) : json(404, errorBody(404, `Could not find a Shop with shop_id = ${shopMatch[1]}`));
      }
      return undefined;
    },
  });
}
