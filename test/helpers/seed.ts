import { encodeGlobalID } from '@pothos/plugin-relay';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import type { Platform } from '../../src/generated/prisma/enums.ts';

/** Rows written straight through the system client, for tests of what reads and acts on them. */
export async function seedIntegration(
  prisma: PrismaClient,
  userId: string,
  overrides: { platform?: Platform; accountKey?: string; displayName?: string; status?: 'connected' | 'error' | 'disconnected' } = {},
) {
  const platform = overrides.platform ?? 'manomano';
  return prisma.marketplaceIntegration.create({
    data: {
      userId,
      platform,
      accountKey: overrides.accountKey ?? `acct-${Math.random().toString(36).slice(2)}`,
      displayName: overrides.displayName ?? `${platform} shop`,
      status: overrides.status ?? 'connected',
    },
  });
}

export async function seedProduct(prisma: PrismaClient, userId: string, sku: string, overrides: { price?: string; stock?: number } = {}) {
  return prisma.product.create({
    data: { userId, sku, title: `Product ${sku}`, price: overrides.price ?? '10.00', currency: 'EUR', stock: overrides.stock ?? 5 },
  });
}

export const gid = {
  integration: (id: string) => encodeGlobalID('Integration', id),
  job: (id: string) => encodeGlobalID('SyncJob', id),
  product: (id: string) => encodeGlobalID('Product', id),
  mapping: (id: string) => encodeGlobalID('ProductMapping', id),
  conflict: (id: string) => encodeGlobalID('SyncConflict', id),
  order: (id: string) => encodeGlobalID('Order', id),
  local: (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!,
};
