import { z } from 'zod';
import { AppError, notFound } from '../errors.ts';
import { runAsUser } from '../events/tenant-work.ts';
import { Prisma, type Product } from '../generated/prisma/client.ts';
import type { Hub, Viewer } from '../hub.ts';
import type { SyncedProductField } from '../integrations/settings.ts';
import { parseInput } from '../schema/validation.ts';

const productFields = {
  sku: z.string().trim().min(1, 'expected a SKU').max(100, 'expected at most 100 characters'),
  title: z.string().trim().min(1, 'expected a title').max(500, 'expected at most 500 characters'),
  description: z.string().max(50_000, 'expected at most 50000 characters').nullable(),
  price: z
    .string()
    .trim()
    .regex(/^\d{1,10}(\.\d{1,4})?$/, 'expected a decimal amount such as 19.90'),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as EUR'),
  stock: z.number().int('expected a whole quantity').min(0, 'expected a quantity of 0 or more').max(10_000_000),
  images: z.array(z.url({ protocol: /^https?$/, error: 'expected an http(s) image URL' })).max(50, 'expected at most 50 images'),
  attributes: z.record(z.string(), z.unknown()),
  status: z.enum(['active', 'draft', 'archived']),
};

export const productCreateSchema = z.object({
  ...productFields,
  description: productFields.description.optional(),
  stock: productFields.stock.default(0),
  images: productFields.images.default([]),
  attributes: productFields.attributes.default({}),
  status: productFields.status.default('active'),
});

export const productUpdateSchema = z
  .object(productFields)
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'expected at least one field to change');

export type ProductCreateInput = z.input<typeof productCreateSchema>;
export type ProductUpdateInput = z.input<typeof productUpdateSchema>;

export async function createProduct(hub: Hub, viewer: Viewer, input: unknown, correlationId: string): Promise<Product> {
  const data = parseInput(productCreateSchema, input, 'input');
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const product = await tx.product
      .create({ data: { ...data, userId: viewer.userId, attributes: data.attributes as Prisma.InputJsonObject } })
      .catch((error: unknown) => {
        throw duplicateSku(error, data.sku);
      });
    await outbox.log({
      type: 'product_created',
      source: 'api',
      message: `Product ${product.sku} created`,
      data: { productId: product.id, sku: product.sku },
      correlationId,
    });
    return product;
  });
}

/** Updates the given fields and stamps when each synced field changed, for last-write-wins merges. */
export async function updateProduct(
  hub: Hub,
  viewer: Viewer,
  productId: string,
  input: unknown,
  correlationId: string,
): Promise<Product> {
  const changes = parseInput(productUpdateSchema, input, 'input');
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const current = await tx.product.findFirst({ where: { id: productId, deletedAt: null } });
    if (!current) throw notFound('Product');
    const now = new Date().toISOString();
    const stamped = Object.fromEntries(
      (Object.keys(changes) as (keyof typeof changes)[])
        .filter((field): field is SyncedProductField => field !== 'sku' && field !== 'currency')
        .map((field) => [field, now]),
    );
    const product = await tx.product
      .update({
        where: { id: productId },
        data: {
          ...changes,
          attributes: changes.attributes as Prisma.InputJsonObject | undefined,
          fieldUpdatedAt: { ...(current.fieldUpdatedAt as object), ...stamped },
        },
      })
      .catch((error: unknown) => {
        throw duplicateSku(error, changes.sku ?? current.sku);
      });
    await tx.marketplaceProductMapping.updateMany({
      where: { productId, status: 'synced' },
      data: { status: 'pending' },
    });
    await outbox.log({
      type: 'product_updated',
      source: 'api',
      message: `Product ${product.sku} updated: ${Object.keys(changes).join(', ')}`,
      data: { productId, fields: Object.keys(changes) },
      correlationId,
    });
    return product;
  });
}

/**
 * Deletes a product from the local catalog. The row is kept (soft delete) so
 * orders and sync history still point at it; its mappings are marked deleted.
 */
export async function deleteProduct(hub: Hub, viewer: Viewer, productId: string, correlationId: string): Promise<Product> {
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const current = await tx.product.findFirst({ where: { id: productId, deletedAt: null } });
    if (!current) throw notFound('Product');
    const product = await tx.product.update({
      where: { id: productId },
      // The SKU is freed for a new product; the old one stays readable in history.
      data: { deletedAt: new Date(), status: 'archived', sku: `${current.sku}~deleted~${current.id}` },
    });
    const mappings = await tx.marketplaceProductMapping.updateMany({ where: { productId }, data: { status: 'deleted' } });
    await outbox.log({
      type: 'product_deleted',
      source: 'api',
      message: `Product ${current.sku} deleted`,
      data: { productId, sku: current.sku, mappingsMarkedDeleted: mappings.count },
      correlationId,
    });
    return product;
  });
}

function duplicateSku(error: unknown, sku: string): unknown {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    return new AppError('CONFLICT', `A product with SKU ${sku} already exists.`, {
      fieldErrors: [{ path: ['input', 'sku'], message: 'already used by another product' }],
    });
  }
  return error;
}
