import { bearerToken, header, json, startFakeServer, type FakeServer } from '../fake-server.ts';

/**
 * Octopia Seller API v2 with its Keycloak token endpoint. The token endpoint
 * answers as Keycloak does (`{error, error_description}`); the shape of GET
 * /seller/v2/sellers and of the API's error bodies (problem details here) is
 * UNVERIFIED — no public contract.
 */
export const octopiaAccount = {
  clientId: 'octopia-client-id',
  clientSecret: 'octopia-client-secret-5678',
  sellerId: '98979',
  shopName: 'Boutique Lumière',
};

export function startOctopiaFake(account = octopiaAccount): Promise<FakeServer> {
  const issuedToken = 'octopia-access-token-xyz';
  const errorBody = (status: number, message: string) => ({ type: 'about:blank', title: message, status, detail: message });
  return startFakeServer({
    errorBody,
    handle(request) {
      if (request.method === 'POST' && request.path === '/auth/realms/maas/protocol/openid-connect/token') {
        const form = new URLSearchParams(request.body);
        if (form.get('grant_type') !== 'client_credentials') {
          return json(400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
        }
        if (form.get('client_id') !== account.clientId || form.get('client_secret') !== account.clientSecret) {
          return json(401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
        }
        return json(200, { access_token: issuedToken, expires_in: 7200, token_type: 'Bearer', scope: 'profile' });
      }
      if (request.method === 'GET' && request.path === '/seller/v2/sellers') {
        if (bearerToken(request) !== issuedToken) return json(401, errorBody(401, 'Unauthorized'));
        if (header(request, 'sellerid') !== account.sellerId) return json(403, errorBody(403, 'Seller is not linked to this client'));
        return json(200, { sellerId: account.sellerId, login: 'boutique-lumiere', shopName: account.shopName, status: 'Active' });
      }
      return undefined;
    },
  });
}
