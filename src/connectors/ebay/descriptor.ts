import type { PlatformDescriptor } from '../platform.ts';
import { verifyEbayCredentials } from './verify-credentials.ts';

export const ebay: PlatformDescriptor = {
  platform: 'ebay',
  displayName: 'eBay',
  credentialFields: [
    { name: 'marketplace', label: 'Marketplace', required: true, secret: false, help: 'e.g. EBAY_FR, EBAY_DE.' },
    { name: 'api_key', label: 'App client ID', required: true, secret: true },
    { name: 'api_secret', label: 'App client secret', required: true, secret: true },
    { name: 'access_token', label: 'User access token', required: false, secret: true, help: 'Filled in by "Connect with eBay".' },
    { name: 'refresh_token', label: 'Refresh token', required: true, secret: true, help: 'Must carry the sell.inventory and commerce.identity.readonly scopes.' },
  ],
  capabilities: { webhooks: true, bulkStock: true, oauth: true, incrementalProducts: false, eventJournal: false },
  rateLimit: 'Daily call quotas per API (Inventory 2,000,000/day); bulk calls of 25 items',
  verifyCredentials: verifyEbayCredentials,
};
