import { z } from 'zod';
import { credentialFieldError, requireCredentials, type VerifyCredentials } from '../credentials.ts';
import { endpoint, resolveEnvironment } from '../http/base-urls.ts';
import { ConnectorError } from '../http/connector-error.ts';
import { createHttpClient } from '../http/http-client.ts';
import { etsyEnvironments, etsyProduction } from './environments.ts';

const platform = 'Etsy';

/** getMe (`Self` schema). */
const self = z.object({ user_id: z.number().int(), shop_id: z.number().int().nullish() });
/** getShop (`Shop` schema), the fields we keep. */
const shop = z.object({ shop_id: z.number().int(), user_id: z.number().int(), shop_name: z.string(), url: z.string().optional() });

/**
 * GET /v3/application/users/me with the app key (`keystring:shared_secret`, required
 * since 2026) and the seller's OAuth token, then the configured shop, which must be
 * that user's: the token and the shop id are entered separately and could disagree.
 */
export const verifyEtsyCredentials: VerifyCredentials = async (check, options) => {
  const credentials = requireCredentials(platform, check.credentials, ['api_key', 'api_secret', 'access_token', 'shop_id']);
  if (!/^[1-9]\d{0,18}$/.test(credentials.shop_id)) {
    throw credentialFieldError('shop_id', 'Etsy shop ID must be a positive whole number');
  }
  const { api } = resolveEnvironment(check.apiBaseUrl, {
    platform,
    known: etsyEnvironments,
    fallback: etsyProduction,
    allowLocalUrls: options.allowLocalUrls,
  });
  const client = createHttpClient({ platform, secrets: [credentials.api_key, credentials.api_secret, credentials.access_token] }, options.http);
  const headers = {
    'x-api-key': `${credentials.api_key}:${credentials.api_secret}`,
    authorization: `Bearer ${credentials.access_token}`,
  };

  const { data: user } = await client.json({ url: endpoint(api, '/v3/application/users/me'), headers }, self);
  const found = await client.json({ url: endpoint(api, `/v3/application/shops/${credentials.shop_id}`), headers }, shop).catch((error: unknown) => {
    if (error instanceof ConnectorError && error.kind === 'NOT_FOUND') {
      throw credentialFieldError('shop_id', `Etsy has no shop ${credentials.shop_id}`, error);
    }
    throw error;
  });
  if (found.data.user_id !== user.user_id) {
    throw credentialFieldError('shop_id', `Etsy shop ${credentials.shop_id} does not belong to the user who granted the access token`);
  }
  const shopId = String(found.data.shop_id);
  return {
    accountKey: shopId,
    displayName: found.data.shop_name,
    shopId,
    sellerId: String(user.user_id),
    ...(found.data.url ? { shopUrl: found.data.url } : {}),
  };
};
