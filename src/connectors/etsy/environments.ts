import type { Environment } from '../http/base-urls.ts';

/** Etsy Open API v3 (spec `servers`). Etsy has no sandbox. */
export const etsyProduction: Environment = { api: 'https://openapi.etsy.com' };

export const etsyEnvironments: readonly Environment[] = [etsyProduction];
