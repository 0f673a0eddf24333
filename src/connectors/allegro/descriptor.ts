import type { PlatformDescriptor } from '../platform.ts';
import { verifyAllegroCredentials } from './verify-credentials.ts';

export const allegro: PlatformDescriptor = {
  platform: 'allegro',
  displayName: 'Allegro',
  credentialFields: [
    { name: 'api_key', label: 'Client ID', required: true, secret: true, help: 'Client ID of your Allegro application.' },
    { name: 'api_secret', label: 'Client secret', required: false, secret: true, help: 'Needed to refresh tokens.' },
    { name: 'access_token', label: 'Access token', required: true, secret: true, help: 'Filled in by "Connect with Allegro".' },
    { name: 'refresh_token', label: 'Refresh token', required: false, secret: true },
    { name: 'marketplace', label: 'Marketplace', required: false, secret: false, help: 'allegro-pl (default), allegro-cz, …' },
  ],
  capabilities: { webhooks: false, bulkStock: true, oauth: true, incrementalProducts: true, eventJournal: true },
  rateLimit: '9,000 requests/min per client ID; offer commands up to 1,000 offers each',
  verifyCredentials: verifyAllegroCredentials,
};
