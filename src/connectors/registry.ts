import { allegro } from './allegro/descriptor.ts';
import { amazon } from './amazon/descriptor.ts';
import { cdiscount } from './cdiscount/descriptor.ts';
import type { ConnectorFactory } from './contract.ts';
import { reportingAppErrors, type VerifyCredentials } from './credentials.ts';
import { ebay } from './ebay/descriptor.ts';
import { etsy } from './etsy/descriptor.ts';
import { manomano } from './manomano/descriptor.ts';
import type { Platform, PlatformDescriptor } from './platform.ts';
import { shopify } from './shopify/descriptor.ts';
import { woocommerce } from './woocommerce/descriptor.ts';

/** Every supported platform, in the order the hub lists them: the European marketplaces first. */
export const platformDescriptors: readonly PlatformDescriptor[] = [
  etsy,
  cdiscount,
  allegro,
  manomano,
  shopify,
  woocommerce,
  amazon,
  ebay,
];

const byPlatform = new Map(platformDescriptors.map((d) => [d.platform, d]));

export function platformDescriptor(platform: Platform): PlatformDescriptor {
  const descriptor = byPlatform.get(platform);
  if (!descriptor) throw new Error(`Unknown platform ${platform}`);
  return descriptor;
}

/** The platform's credential check; every failure comes out as AppError (INVALID_CREDENTIALS, RATE_LIMITED, …). */
export function credentialVerifier(platform: Platform): VerifyCredentials {
  return reportingAppErrors(platformDescriptor(platform).verifyCredentials);
}

/**
 * The platform's sync connector, or undefined while the platform cannot sync yet
 * (the worker then fails its jobs with PLATFORM_UNAVAILABLE).
 */
export function connectorFactory(_platform: Platform): ConnectorFactory | undefined {
  return undefined;
}
