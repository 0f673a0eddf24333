import { credentialFieldError, requireCredentials, type VerifyCredentials } from '../credentials.ts';
import { resolveEnvironment } from '../http/base-urls.ts';
import { createHttpClient } from '../http/http-client.ts';
import { manomanoEnvironments, manomanoProduction, readOneOffer } from './partners-api.ts';

const platform = 'ManoMano';

/** An authenticated offers read for the seller contract (UNVERIFIED API, see partners-api.ts). */
export const verifyManomanoCredentials: VerifyCredentials = async (check, options) => {
  const credentials = requireCredentials(platform, check.credentials, ['api_key', 'shop_id']);
  if (!/^[1-9]\d{0,18}$/.test(credentials.shop_id)) {
    throw credentialFieldError('shop_id', 'ManoMano seller contract ID must be a positive whole number');
  }
  const { api } = resolveEnvironment(check.apiBaseUrl, {
    platform,
    known: manomanoEnvironments,
    fallback: manomanoProduction,
    allowLocalUrls: options.allowLocalUrls,
  });
  const client = createHttpClient({ platform, secrets: [credentials.api_key] }, options.http);
  await readOneOffer(client, api, credentials.api_key, credentials.shop_id);
  return {
    accountKey: credentials.shop_id,
    displayName: `ManoMano seller contract ${credentials.shop_id}`,
    shopId: credentials.shop_id,
  };
};
