import { z } from 'zod';
import { credentialFieldError, requireCredentials, type VerifyCredentials } from '../credentials.ts';
import { endpoint, resolveEnvironment } from '../http/base-urls.ts';
import { ConnectorError } from '../http/connector-error.ts';
import { createHttpClient } from '../http/http-client.ts';
import { normaliseStoreUrl } from './store-url.ts';

const platform = 'WooCommerce';

/** System status (`_system-status.md`); only `settings` is asked for and relied on. */
const systemStatus = z.looseObject({ settings: z.looseObject({ currency: z.string().optional() }).optional() });

/**
 * GET /wp-json/wc/v3/system_status with HTTP Basic consumer key and secret. It needs
 * a key of a user who manages WooCommerce, which syncing needs anyway. `_fields`
 * (a WordPress REST global parameter) trims the answer to the cheap settings part.
 */
export const verifyWoocommerceCredentials: VerifyCredentials = async (check, options) => {
  const credentials = requireCredentials(platform, check.credentials, ['shop_url', 'api_key', 'api_secret']);
  const storeUrl = normaliseStoreUrl(credentials.shop_url, options.allowLocalUrls);
  const store = { api: storeUrl };
  const { api } = resolveEnvironment(check.apiBaseUrl, { platform, known: [store], fallback: store, allowLocalUrls: options.allowLocalUrls });
  const client = createHttpClient({ platform, secrets: [credentials.api_key, credentials.api_secret] }, options.http);
  const basic = Buffer.from(`${credentials.api_key}:${credentials.api_secret}`).toString('base64');
  await client
    .json({ url: endpoint(api, '/wp-json/wc/v3/system_status', { _fields: 'settings' }), headers: { authorization: `Basic ${basic}` } }, systemStatus)
    .catch((error: unknown) => {
      // WordPress answers 404 (rest_no_route) when WooCommerce or its REST API is not at this URL.
      if (error instanceof ConnectorError && error.kind === 'NOT_FOUND') {
        throw credentialFieldError('shop_url', 'No WooCommerce REST API (wp-json/wc/v3) was found at this store URL', error);
      }
      throw error;
    });
  return { accountKey: storeUrl, displayName: new URL(storeUrl).host, shopUrl: storeUrl };
};
