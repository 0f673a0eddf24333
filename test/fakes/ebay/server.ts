import { basicCredentials, bearerToken, json, startFakeServer, type FakeServer } from '../fake-server.ts';

/**
 * eBay OAuth token endpoint (refresh_token grant, Basic client id:secret, OAuth
 * error bodies) and Commerce Identity GET /commerce/identity/v1/user/; API errors
 * are `{"errors":[{errorId, domain, category, message, longMessage}]}`.
 */
export const ebayAccount = {
  clientId: 'ebay-app-client-id',
  clientSecret: 'ebay-client-secret-5678',
  refreshToken: 'v^1.1#i^1#ebay-refresh-token-abcdef',
  grantedScopes: ['https://api.ebay.com/oauth/api_scope/sell.inventory', 'https://api.ebay.com/oauth/api_scope/commerce.identity.readonly'],
  userId: 'u3k9ZyFakeUserId',
  username: 'atelier-lumiere',
};

export function startEbayFake(account = ebayAccount): Promise<FakeServer> {
  const issuedToken = 'v^1.1#i^1#ebay-user-access-token-xyz';
  const errorBody = (status: number, message: string) => ({
    errors: [{ errorId: status === 429 ? 2001 : 10001, domain: 'API_IDENTITY', category: status >= 500 ? 'APPLICATION' : 'REQUEST', message }],
  });
  return startFakeServer({
    errorBody,
    handle(request) {
      if (request.method === 'POST' && request.path === '/identity/v1/oauth2/token') {
        const form = new URLSearchParams(request.body);
        if (basicCredentials(request) !== `${account.clientId}:${account.clientSecret}`) {
          return json(401, { error: 'invalid_client', error_description: 'client authentication failed' });
        }
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== account.refreshToken) {
          return json(400, { error: 'invalid_grant', error_description: 'the provided authorization refresh token is invalid or was issued to another client' });
        }
        const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
        if (requested.some((scope) => !account.grantedScopes.includes(scope))) {
          return json(400, { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, malformed, or exceeds the scope granted to the client' });
        }
        return json(200, { access_token: issuedToken, expires_in: 7200, token_type: 'User Access Token' });
      }
      if (request.method === 'GET' && request.path === '/commerce/identity/v1/user/') {
        if (bearerToken(request) !== issuedToken) {
          return json(401, {
            errors: [{ errorId: 1001, domain: 'OAuth', category: 'REQUEST', message: 'Invalid access token', longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.' }],
          });
        }
        return json(200, { userId: account.userId, username: account.username, accountType: 'INDIVIDUAL', registrationMarketplaceId: 'EBAY_FR' });
      }
      return undefined;
    },
  });
}
