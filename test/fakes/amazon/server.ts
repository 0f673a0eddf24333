import { header, json, startFakeServer, type FakeServer } from '../fake-server.ts';

/**
 * Login with Amazon token endpoint (/auth/o2/token, OAuth error bodies) and the
 * Sellers API getMarketplaceParticipations (specs/amazon/sellers.json): auth by
 * x-amz-access-token, errors `{"errors":[{code, message, details}]}`.
 */
export const amazonAccount = {
  clientId: 'amzn1.application-oa2-client.fake',
  clientSecret: 'amzn-client-secret-5678',
  refreshToken: 'Atzr|amazon-refresh-token-abcdef',
  sellerId: 'A3SELLERFAKE',
  marketplaceId: 'A13V1IB3VIYZZH',
  storeName: 'Boutique Lumière FR',
};

export function startAmazonFake(account = amazonAccount): Promise<FakeServer> {
  const issuedToken = 'Atza|amazon-access-token-xyz';
  const errorBody = (status: number, message: string) => ({ errors: [{ code: status === 429 ? 'QuotaExceeded' : 'InternalFailure', message }] });
  return startFakeServer({
    errorBody,
    handle(request) {
      if (request.method === 'POST' && request.path === '/auth/o2/token') {
        const form = new URLSearchParams(request.body);
        if (form.get('client_id') !== account.clientId || form.get('client_secret') !== account.clientSecret) {
          return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
        }
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== account.refreshToken) {
          return json(400, { error: 'invalid_grant', error_description: 'The request has an invalid grant parameter : refresh_token' });
        }
        return json(200, { access_token: issuedToken, refresh_token: account.refreshToken, token_type: 'bearer', expires_in: 3600 });
      }
      if (request.method === 'GET' && request.path === '/sellers/v1/marketplaceParticipations') {
        if (header(request, 'x-amz-access-token') !== issuedToken) {
          return json(403, { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided is revoked, malformed or invalid.' }] });
        }
        return json(200, {
          payload: [
            {
              marketplace: { id: account.marketplaceId, name: 'Amazon.fr', countryCode: 'FR', defaultCurrencyCode: 'EUR', defaultLanguageCode: 'fr_FR', domainName: 'www.amazon.fr' },
              participation: { isParticipating: true, hasSuspendedListings: false },
              storeName: account.storeName,
            },
          ],
        }, { 'x-amzn-RateLimit-Limit': '0.016' });
      }
      return undefined;
    },
  });
}
