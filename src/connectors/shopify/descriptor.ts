import type { PlatformDescriptor } from '../platform.ts';
import { verifyShopifyCredentials } from './verify-credentials.ts';

export const shopify: PlatformDescriptor = {
  platform: 'shopify',
  displayName: 'Shopify',
  credentialFields: [
    { name: 'shop_url', label: 'Shop domain', required: true, secret: false, help: 'your-shop.myshopify.com' },
    { name: 'access_token', label: 'Admin API access token', required: true, secret: true, help: 'Filled in by "Connect with Shopify".' },
    { name: 'refresh_token', label: 'Refresh token', required: false, secret: true },
    { name: 'api_key', label: 'App client ID', required: false, secret: true },
    { name: 'api_secret', label: 'App client secret', required: false, secret: true, help: 'Verifies webhook signatures.' },
  ],
  capabilities: { webhooks: true, bulkStock: true, oauth: true, incrementalProducts: true, eventJournal: false },
  rateLimit: 'GraphQL Admin: 100 cost points/s (Standard plan) to 2,000 (Enterprise)',
  verifyCredentials: verifyShopifyCredentials,
};
