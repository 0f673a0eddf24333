import { z } from 'zod';
import { requireCredentials, type VerifyCredentials } from '../credentials.ts';
import { endpoint, resolveEnvironment } from '../http/base-urls.ts';
import { createHttpClient } from '../http/http-client.ts';
import { requestAccessToken } from '../http/oauth-token.ts';
import { octopiaApiPath, octopiaEnvironments, octopiaProduction, octopiaTokenPath } from './environments.ts';

const platform = 'Cdiscount';

/**
 * GET /sellers. UNVERIFIED: the documentation lists "seller-id; login; shop name …"
 * without the JSON names and no contract file is public, so every field is optional
 * and read under the likely spellings; the account key is the seller id the API
 * just accepted in the SellerId header, not one read from this body.
 */
const seller = z.looseObject({
  sellerId: z.union([z.string(), z.number()]).optional(),
  shopName: z.string().optional(),
  name: z.string().optional(),
  login: z.string().optional(),
});

/**
 * Octopia client_credentials token (client id = api_key, secret = api_secret) from
 * the Keycloak realm, then GET /seller/v2/sellers with the SellerId header: a wrong
 * client secret fails at the token, a seller not linked to the client at the read.
 */
export const verifyCdiscountCredentials: VerifyCredentials = async (check, options) => {
  const credentials = requireCredentials(platform, check.credentials, ['api_key', 'api_secret', 'seller_id']);
  const { api, auth } = resolveEnvironment(check.apiBaseUrl, {
    platform,
    known: octopiaEnvironments,
    fallback: octopiaProduction,
    allowLocalUrls: options.allowLocalUrls,
  });
  const client = createHttpClient({ platform, secrets: [credentials.api_key, credentials.api_secret] }, options.http);
  const { accessToken } = await requestAccessToken(client, {
    url: endpoint(auth, octopiaTokenPath),
    form: { grant_type: 'client_credentials', client_id: credentials.api_key, client_secret: credentials.api_secret },
  });
  const { data } = await client.json(
    {
      url: endpoint(api, `${octopiaApiPath}/sellers`),
      headers: { authorization: `Bearer ${accessToken}`, SellerId: credentials.seller_id },
    },
    seller,
  );
  const shopName = data.shopName ?? data.name ?? data.login;
  return {
    accountKey: credentials.seller_id,
    displayName: shopName ?? `Cdiscount seller ${credentials.seller_id}`,
    sellerId: credentials.seller_id,
  };
};
