import type { Environment } from '../http/base-urls.ts';

export type AmazonRegion = 'na' | 'eu' | 'fe';

/** Login with Amazon issues tokens for every region from one host. */
const loginWithAmazon = 'https://api.amazon.com';

/** Regional SP-API hosts (developer-docs.amazon.com/sp-api "SP-API endpoints"). */
export const amazonRegions = {
  na: { api: 'https://sellingpartnerapi-na.amazon.com', auth: loginWithAmazon },
  eu: { api: 'https://sellingpartnerapi-eu.amazon.com', auth: loginWithAmazon },
  fe: { api: 'https://sellingpartnerapi-fe.amazon.com', auth: loginWithAmazon },
} satisfies Record<AmazonRegion, Environment>;

export type AmazonEnvironment = (typeof amazonRegions)[AmazonRegion];

export const amazonEnvironments: readonly AmazonEnvironment[] = [
  ...Object.values(amazonRegions),
  { api: 'https://sandbox.sellingpartnerapi-na.amazon.com', auth: loginWithAmazon },
  { api: 'https://sandbox.sellingpartnerapi-eu.amazon.com', auth: loginWithAmazon },
  { api: 'https://sandbox.sellingpartnerapi-fe.amazon.com', auth: loginWithAmazon },
];

/** Marketplace id → region (developer-docs.amazon.com/sp-api/docs/marketplace-ids). */
export const amazonMarketplaceRegions: Readonly<Record<string, AmazonRegion>> = {
  A2EUQ1WTGCTBG2: 'na', // Canada
  ATVPDKIKX0DER: 'na', // United States
  A1AM78C64UM0Y8: 'na', // Mexico
  A2Q3Y263D00KWC: 'na', // Brazil
  A28R8C7NBKEWEA: 'eu', // Ireland
  A1RKKUPIHCS9HS: 'eu', // Spain
  A1F83G8C2ARO7P: 'eu', // United Kingdom
  A13V1IB3VIYZZH: 'eu', // France
  AMEN7PMS3EDWL: 'eu', // Belgium
  A1805IZSGTT6HS: 'eu', // Netherlands
  A1PA6795UKMFR9: 'eu', // Germany
  APJ6JRA9NG5V4: 'eu', // Italy
  A2NODRKZP88ZB9: 'eu', // Sweden
  AE08WJ6YKNBMC: 'eu', // South Africa
  A1C3SOZRARQ6R3: 'eu', // Poland
  ARBP9OOSHTCHU: 'eu', // Egypt
  A33AVAJ2PDY3EV: 'eu', // Turkey
  A17E79C6D8DWNP: 'eu', // Saudi Arabia
  A2VIGQ35RCS4UG: 'eu', // United Arab Emirates
  A21TJRUUN4KGV: 'eu', // India
  A19VAU5U5O7RUS: 'fe', // Singapore
  A39IBJ37TRP1C6: 'fe', // Australia
  A1VC38T7YXB528: 'fe', // Japan
};
