import { z } from 'zod';
import { credentialFieldError, requireCredentials, type VerifyCredentials } from '../credentials.ts';
import { endpoint, resolveEnvironment } from '../http/base-urls.ts';
import { createHttpClient } from '../http/http-client.ts';
import { requestAccessToken } from '../http/oauth-token.ts';
import { ebayEnvironments, ebayProduction, ebayVerificationScopes } from './environments.ts';

const platform = 'eBay';

/** Commerce Identity getUser (`UserResponse`), the fields we keep. */
const user = z.object({ userId: z.string().min(1), username: z.string().optional() });

/**
 * Refresh token → user access token (Basic client id:secret), then
 * GET /commerce/identity/v1/user/ — the one read that names the eBay user behind
 * the token, which with the marketplace makes the account key.
 */
export const verifyEbayCredentials: VerifyCredentials = async (check, options) => {
  const credentials = requireCredentials(platform, check.credentials, ['marketplace', 'api_key', 'api_secret', 'refresh_token']);
  const marketplace = credentials.marketplace.toUpperCase();
  if (!/^EBAY_[A-Z_]{2,}$/.test(marketplace)) {
    throw credentialFieldError('marketplace', 'eBay marketplace must be an id such as EBAY_FR or EBAY_DE');
  }
  const { api, identity } = resolveEnvironment(check.apiBaseUrl, {
    platform,
    known: ebayEnvironments,
    fallback: ebayProduction,
    allowLocalUrls: options.allowLocalUrls,
  });
  const client = createHttpClient({ platform, secrets: [credentials.api_key, credentials.api_secret, credentials.refresh_token] }, options.http);
  const { accessToken } = await requestAccessToken(client, {
    url: endpoint(api, '/identity/v1/oauth2/token'),
    headers: { authorization: `Basic ${Buffer.from(`${credentials.api_key}:${credentials.api_secret}`).toString('base64')}` },
    form: { grant_type: 'refresh_token', refresh_token: credentials.refresh_token, scope: ebayVerificationScopes.join(' ') },
  });
  const { data } = await client.json(
    {
      url: endpoint(identity, '/commerce/identity/v1/user/'),
      headers: { authorization: `Bearer ${accessToken}`, 'x-ebay-c-marketplace-id': marketplace },
    },
    user,
  );
  return {
    accountKey: `${data.userId}:${marketplace}`,
    displayName: data.username ?? `eBay user ${data.userId}`,
    sellerId: data.userId,
    marketplace,
  };
};
