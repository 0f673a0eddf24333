import type { Platform } from '../generated/prisma/enums.ts';
import type { VerifyCredentials } from './credentials.ts';

export type { Platform };

/** One field of a platform's connect form. */
export interface CredentialField {
  /** Key in the credentials object sent to connectMarketplace (snake_case, as the original design names them). */
  name: string;
  label: string;
  required: boolean;
  /** Secret values are sealed at rest and never returned; others (shop id, URL) identify the account. */
  secret: boolean;
  help?: string;
}

export interface PlatformCapabilities {
  /** The platform pushes HTTPS webhooks the hub can register and verify. */
  webhooks: boolean;
  /** Stock and price can be changed for many items in one call. */
  bulkStock: boolean;
  /** Merchants connect through an OAuth authorization flow. */
  oauth: boolean;
  /** Products can be listed changed-since a cursor rather than in full. */
  incrementalProducts: boolean;
  /** The platform exposes an event journal to poll by last event id. */
  eventJournal: boolean;
}

/**
 * What the hub knows about a platform before any connection — forms, capabilities,
 * documented limits — and how it checks a merchant's credentials on connect.
 */
export interface PlatformDescriptor {
  platform: Platform;
  displayName: string;
  credentialFields: CredentialField[];
  capabilities: PlatformCapabilities;
  /** The documented request budget, in words, for the platform list. */
  rateLimit: string;
  /** One authenticated read against the platform; use it through `credentialVerifier(platform)`. */
  verifyCredentials: VerifyCredentials;
}
