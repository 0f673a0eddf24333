import type { PlatformDescriptor } from '../platform.ts';
import { verifyAmazonCredentials } from './verify-credentials.ts';

export const amazon: PlatformDescriptor = {
  platform: 'amazon',
  displayName: 'Amazon',
  credentialFields: [
    { name: 'seller_id', label: 'Seller ID', required: true, secret: false, help: 'Merchant token (selling partner id).' },
    { name: 'marketplace', label: 'Marketplace ID', required: true, secret: false, help: 'e.g. A13V1IB3VIYZZH (France).' },
    { name: 'api_key', label: 'LWA client ID', required: true, secret: true },
    { name: 'api_secret', label: 'LWA client secret', required: true, secret: true },
    { name: 'refresh_token', label: 'Refresh token', required: true, secret: true, help: 'Filled in by "Connect with Amazon".' },
  ],
  capabilities: { webhooks: false, bulkStock: true, oauth: true, incrementalProducts: true, eventJournal: false },
  rateLimit: 'Token bucket per operation (e.g. listings 5/s, orders 0.0167/s burst 20)',
  verifyCredentials: verifyAmazonCredentials,
};
