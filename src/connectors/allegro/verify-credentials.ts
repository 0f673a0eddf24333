import { z } from 'zod';
import { optionalCredential, requireCredentials, type VerifyCredentials } from '../credentials.ts';
import { endpoint, resolveEnvironment } from '../http/base-urls.ts';
import { createHttpClient } from '../http/http-client.ts';
import { allegroEnvironments, allegroProduction } from './environments.ts';

const platform = 'Allegro';

/** meGET (`MeResponse` schema), the fields we keep. */
const me = z.object({
  id: z.string().min(1),
  login: z.string().optional(),
  baseMarketplace: z.object({ id: z.string() }).optional(),
});

/**
 * GET /me with the seller's bearer token (scope allegro:api:profile:read). A 401
 * (`AuthError`) means a bad or expired token; a 403 a token without user context
 * (client_credentials), which cannot act for a seller either.
 */
export const verifyAllegroCredentials: VerifyCredentials = async (check, options) => {
  const credentials = requireCredentials(platform, check.credentials, ['api_key', 'access_token']);
  const { api } = resolveEnvironment(check.apiBaseUrl, {
    platform,
    known: allegroEnvironments,
    fallback: allegroProduction,
    allowLocalUrls: options.allowLocalUrls,
  });
  const client = createHttpClient({ platform, secrets: [credentials.api_key, credentials.access_token] }, options.http);
  const { data: user } = await client.json(
    {
      url: endpoint(api, '/me'),
      headers: { authorization: `Bearer ${credentials.access_token}`, accept: 'application/vnd.allegro.public.v1+json' },
    },
    me,
  );
  const marketplace = optionalCredential(check.credentials, 'marketplace') ?? user.baseMarketplace?.id;
  return {
    accountKey: user.id,
    displayName: user.login ?? `Allegro user ${user.id}`,
    sellerId: user.id,
    ...(marketplace ? { marketplace } : {}),
  };
};
