import { z } from 'zod';
import { AppError, notFound } from '../errors.ts';
import { runAsUser } from '../events/tenant-work.ts';
import { Prisma, type MarketplaceProductMapping } from '../generated/prisma/client.ts';
import type { Hub, Viewer } from '../hub.ts';
import { parseInput } from '../schema/validation.ts';

const linkSchema = z.object({
  externalId: z.string().trim().min(1, 'expected the marketplace id of the product').max(200),
  externalSku: z.string().trim().min(1).max(200).nullish(),
  externalVariantId: z.string().trim().min(1).max(200).nullish(),
});

/**
 * Manually maps a local product to a marketplace product. The mapping starts
 * `pending`, so the next sync reconciles both sides instead of trusting either.
 */
export async function linkProduct(
  hub: Hub,
  viewer: Viewer,
  input: { integrationId: string; productId: string; externalId: string; externalSku?: string | null; externalVariantId?: string | null },
  correlationId: string,
): Promise<MarketplaceProductMapping> {
  const external = parseInput(linkSchema, input, 'input');
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const integration = await tx.marketplaceIntegration.findUnique({ where: { id: input.integrationId } });
    if (!integration) throw notFound('Integration');
    const product = await tx.product.findFirst({ where: { id: input.productId, deletedAt: null } });
    if (!product) throw notFound('Product');
    const mapping = await tx.marketplaceProductMapping
      .create({
        data: {
          userId: viewer.userId,
          integrationId: integration.id,
          productId: product.id,
          externalId: external.externalId,
          externalSku: external.externalSku ?? null,
          externalVariantId: external.externalVariantId ?? null,
          status: 'pending',
        },
      })
      .catch((error: unknown) => {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          throw new AppError('CONFLICT', 'This product or this marketplace item is already linked on this integration.');
        }
        throw error;
      });
    await outbox.log({
      integrationId: integration.id,
      type: 'product_linked',
      source: 'api',
      message: `Product ${product.sku} linked to ${external.externalId}`,
      data: { productId: product.id, externalId: external.externalId, mappingId: mapping.id },
      correlationId,
    });
    return mapping;
  });
}

/** Removes a mapping; neither the local nor the marketplace product is touched. */
export async function unlinkProduct(
  hub: Hub,
  viewer: Viewer,
  mappingId: string,
  correlationId: string,
): Promise<MarketplaceProductMapping> {
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const mapping = await tx.marketplaceProductMapping.findUnique({ where: { id: mappingId } });
    if (!mapping) throw notFound('Product mapping');
    await tx.marketplaceProductMapping.delete({ where: { id: mappingId } });
    await outbox.log({
      integrationId: mapping.integrationId,
      type: 'product_unlinked',
      source: 'api',
      message: `Mapping to ${mapping.externalId} removed`,
      data: { productId: mapping.productId, externalId: mapping.externalId, mappingId },
      correlationId,
    });
    return mapping;
  });
}
