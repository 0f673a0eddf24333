import type { PlatformDescriptor } from '../platform.ts';
import { verifyWoocommerceCredentials } from './verify-credentials.ts';

export const woocommerce: PlatformDescriptor = {
  platform: 'woocommerce',
  displayName: 'WooCommerce',
  credentialFields: [
    { name: 'shop_url', label: 'Store URL', required: true, secret: false, help: 'https://your-store.example' },
    { name: 'api_key', label: 'Consumer key', required: true, secret: true, help: 'ck_…' },
    { name: 'api_secret', label: 'Consumer secret', required: true, secret: true, help: 'cs_…' },
  ],
  capabilities: { webhooks: true, bulkStock: true, oauth: false, incrementalProducts: true, eventJournal: false },
  rateLimit: 'Set by the store host; batches of up to 100 objects',
  verifyCredentials: verifyWoocommerceCredentials,
};
