import type { PlatformDescriptor } from '../platform.ts';
import { verifyManomanoCredentials } from './verify-credentials.ts';

export const manomano: PlatformDescriptor = {
  platform: 'manomano',
  displayName: 'ManoMano',
  credentialFields: [
    { name: 'api_key', label: 'API key', required: true, secret: true, help: 'Created in the ManoMano Toolbox (Settings → API keys).' },
    { name: 'shop_id', label: 'Seller contract ID', required: true, secret: false, help: 'One per country contract.' },
  ],
  capabilities: { webhooks: false, bulkStock: true, oauth: false, incrementalProducts: false, eventJournal: false },
  rateLimit: 'Not published by ManoMano; 429 responses are honoured',
  verifyCredentials: verifyManomanoCredentials,
};
