import type { Environment } from '../http/base-urls.ts';

/**
 * eBay hosts: `api` for OAuth tokens and the Sell APIs, `identity` for the Commerce
 * Identity API, which eBay serves from apiz.* (developer.ebay.com getUser page).
 */
export const ebayProduction = { api: 'https://api.ebay.com', identity: 'https://apiz.ebay.com' } satisfies Environment;
export const ebaySandbox = { api: 'https://api.sandbox.ebay.com', identity: 'https://apiz.sandbox.ebay.com' } satisfies Environment;

export const ebayEnvironments: readonly (typeof ebayProduction)[] = [ebayProduction, ebaySandbox];

/**
 * Scopes the refresh exchange asks for; they must have been granted at consent,
 * so the "Connect with eBay" flow has to request at least these.
 */
export const ebayVerificationScopes = [
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
  'https://api.ebay.com/oauth/api_scope/commerce.identity.readonly',
];
