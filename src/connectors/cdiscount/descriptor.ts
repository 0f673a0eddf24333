import type { PlatformDescriptor } from '../platform.ts';
import { verifyCdiscountCredentials } from './verify-credentials.ts';

export const cdiscount: PlatformDescriptor = {
  platform: 'cdiscount',
  displayName: 'Cdiscount',
  credentialFields: [
    { name: 'api_key', label: 'Client ID', required: true, secret: true, help: 'Octopia API credentials from the Seller Zone.' },
    { name: 'api_secret', label: 'Client secret', required: true, secret: true, help: 'Used to obtain an API token (client credentials).' },
    { name: 'seller_id', label: 'Seller ID', required: true, secret: false, help: 'Sent as the SellerId header.' },
  ],
  capabilities: { webhooks: false, bulkStock: true, oauth: false, incrementalProducts: false, eventJournal: false },
  rateLimit: 'Not published by Octopia; 429 responses are honoured',
  verifyCredentials: verifyCdiscountCredentials,
};
