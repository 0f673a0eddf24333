import { z } from 'zod';
import { credentialFieldError, requireCredentials, type VerifyCredentials } from '../credentials.ts';
import { endpoint, resolveEnvironment } from '../http/base-urls.ts';
import { createHttpClient } from '../http/http-client.ts';
import { requestAccessToken } from '../http/oauth-token.ts';
import { amazonEnvironments, amazonMarketplaceRegions, amazonRegions } from './regions.ts';

const platform = 'Amazon';

/** getMarketplaceParticipations (sellers.json), the fields we keep. */
const participations = z.object({
  payload: z.array(
    z.object({
      marketplace: z.object({ id: z.string(), name: z.string().optional() }),
      participation: z.object({ isParticipating: z.boolean() }),
      storeName: z.string().optional(),
    }),
  ),
});

/**
 * LWA refresh-token exchange, then GET /sellers/v1/marketplaceParticipations on the
 * marketplace's regional host with x-amz-access-token; the configured marketplace
 * must be one the seller participates in. The seller id itself is not returned by
 * this call: it comes from the authorization (selling_partner_id) and is trusted.
 */
export const verifyAmazonCredentials: VerifyCredentials = async (check, options) => {
  const credentials = requireCredentials(platform, check.credentials, ['seller_id', 'marketplace', 'api_key', 'api_secret', 'refresh_token']);
  const { marketplace } = credentials;
  const region = amazonMarketplaceRegions[marketplace];
  if (!region) throw credentialFieldError('marketplace', `Amazon has no marketplace ID ${marketplace}`);
  const { api, auth } = resolveEnvironment(check.apiBaseUrl, {
    platform,
    known: amazonEnvironments,
    fallback: amazonRegions[region],
    allowLocalUrls: options.allowLocalUrls,
  });
  const client = createHttpClient({ platform, secrets: [credentials.api_key, credentials.api_secret, credentials.refresh_token] }, options.http);
  const { accessToken } = await requestAccessToken(client, {
    url: endpoint(auth, '/auth/o2/token'),
    form: {
      grant_type: 'refresh_token',
      refresh_token: credentials.refresh_token,
      client_id: credentials.api_key,
      client_secret: credentials.api_secret,
    },
  });
  const { data } = await client.json(
    { url: endpoint(api, '/sellers/v1/marketplaceParticipations'), headers: { 'x-amz-access-token': accessToken } },
    participations,
  );
  const entry = data.payload.find((p) => p.marketplace.id === marketplace && p.participation.isParticipating);
  if (!entry) {
    throw credentialFieldError('marketplace', `The Amazon seller account does not sell on marketplace ${marketplace}`);
  }
  return {
    accountKey: `${credentials.seller_id}:${marketplace}`,
    displayName: entry.storeName ?? `Amazon seller ${credentials.seller_id}`,
    sellerId: credentials.seller_id,
    marketplace,
  };
};
