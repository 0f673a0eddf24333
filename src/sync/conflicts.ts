import { AppError, notFound } from '../errors.ts';
import { runAsUser } from '../events/tenant-work.ts';
import { Prisma, type SyncConflict } from '../generated/prisma/client.ts';
import type { ConflictResolution } from '../generated/prisma/enums.ts';
import type { Hub, Viewer } from '../hub.ts';
import { syncedProductFields, type SyncedProductField } from '../integrations/settings.ts';

/**
 * Settles a conflict with the user's choice: the chosen value becomes the local
 * product's value and the mapping goes back to `pending`, so the next sync makes
 * the marketplace agree.
 */
export async function resolveConflict(
  hub: Hub,
  viewer: Viewer,
  conflictId: string,
  choice: ConflictResolution,
  correlationId: string,
): Promise<SyncConflict> {
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const conflict = await tx.syncConflict.findUnique({ where: { id: conflictId } });
    if (!conflict) throw notFound('Sync conflict');
    if (conflict.status === 'resolved') throw new AppError('CONFLICT', 'This conflict is already resolved.');
    const value = { local: conflict.localValue, remote: conflict.remoteValue, base: conflict.baseValue }[choice];
    if (!isSyncedField(conflict.field)) {
      throw new AppError('CONFLICT', `The field ${conflict.field} cannot be resolved here.`);
    }
    const product = await tx.product.findUnique({ where: { id: conflict.productId } });
    if (!product) throw notFound('Product');
    await tx.product.update({
      where: { id: product.id },
      data: {
        ...productFieldValue(conflict.field, value),
        fieldUpdatedAt: { ...(product.fieldUpdatedAt as object), [conflict.field]: new Date().toISOString() },
      },
    });
    if (conflict.mappingId) {
      await tx.marketplaceProductMapping.update({ where: { id: conflict.mappingId }, data: { status: 'pending' } });
    }
    const resolved = await tx.syncConflict.update({
      where: { id: conflictId },
      data: {
        status: 'resolved',
        resolution: choice,
        resolvedValue: value === null ? Prisma.JsonNull : (value as Prisma.InputJsonValue),
        resolvedAt: new Date(),
      },
    });
    await outbox.log({
      integrationId: conflict.integrationId,
      syncJobId: conflict.syncJobId,
      type: 'sync_conflict_resolved',
      source: 'api',
      message: `Conflict on ${conflict.field} of ${product.sku} resolved with the ${choice} value`,
      data: { conflictId, field: conflict.field, choice },
      correlationId,
    });
    return resolved;
  });
}

function isSyncedField(field: string): field is SyncedProductField {
  return (syncedProductFields as readonly string[]).includes(field);
}

/** The product column update for one merged field; values are stored as JSON in conflicts. */
function productFieldValue(field: SyncedProductField, value: unknown): Prisma.ProductUpdateInput {
  switch (field) {
    case 'price':
      return { price: String(value) };
    case 'stock':
      return { stock: Number(value) };
    case 'images':
      return { images: Array.isArray(value) ? value.map(String) : [] };
    case 'attributes':
      return { attributes: (value ?? {}) as Prisma.InputJsonObject };
    case 'description':
      return { description: value === null ? null : String(value) };
    case 'status':
      return { status: value as 'active' | 'draft' | 'archived' };
    case 'title':
      return { title: String(value) };
  }
}
