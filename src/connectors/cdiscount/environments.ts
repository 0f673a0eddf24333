import type { Environment } from '../http/base-urls.ts';

/**
 * Octopia Seller API v2 and its Keycloak token host (developer.octopia-io.net
 * tutorial and technical documentation). No public sandbox is documented
 * (UNVERIFIED), so production is the only known environment.
 */
export const octopiaProduction = {
  api: 'https://api.octopia-io.net',
  auth: 'https://auth.octopia-io.net',
} satisfies Environment;

export const octopiaEnvironments: readonly (typeof octopiaProduction)[] = [octopiaProduction];

export const octopiaTokenPath = '/auth/realms/maas/protocol/openid-connect/token';
export const octopiaApiPath = '/seller/v2';
