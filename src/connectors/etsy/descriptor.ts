import type { PlatformDescriptor } from '../platform.ts';
import { verifyEtsyCredentials } from './verify-credentials.ts';

export const etsy: PlatformDescriptor = {
  platform: 'etsy',
  displayName: 'Etsy',
  credentialFields: [
    { name: 'api_key', label: 'API keystring', required: true, secret: true, help: 'From your Etsy app in the developer portal.' },
    { name: 'api_secret', label: 'Shared secret', required: true, secret: true, help: 'Etsy requires x-api-key: keystring:shared_secret.' },
    { name: 'shop_id', label: 'Shop ID', required: true, secret: false },
    { name: 'access_token', label: 'OAuth access token', required: true, secret: true, help: 'From Etsy OAuth (authorization code with PKCE, scopes listings_r listings_w transactions_r shops_r).' },
    { name: 'refresh_token', label: 'OAuth refresh token', required: false, secret: true },
  ],
  capabilities: { webhooks: true, bulkStock: false, oauth: true, incrementalProducts: false, eventJournal: false },
  rateLimit: '10 requests/s and 10,000 requests/day per app (sliding 24 h window)',
  verifyCredentials: verifyEtsyCredentials,
};
