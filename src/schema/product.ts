import { createProduct, deleteProduct, updateProduct } from '../catalog/products.ts';
import { notFound } from '../errors.ts';
import { ProductStatus } from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { parseGlobalId } from './ids.ts';

const ProductStatusEnum = builder.enumType(ProductStatus, { name: 'ProductStatus' });

export const Product = builder.prismaNode('Product', {
  name: 'Product',
  id: { field: 'id' },
  nullable: true,
  description: 'A product of the local catalog the marketplaces sync against.',
  fields: (t) => ({
    sku: t.exposeString('sku'),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    price: t.expose('price', { type: 'Decimal' }),
    currency: t.exposeString('currency'),
    stock: t.exposeInt('stock'),
    images: t.exposeStringList('images'),
    attributes: t.expose('attributes', { type: 'JSON' }),
    status: t.field({ type: ProductStatusEnum, resolve: (p) => p.status }),
    deleted: t.boolean({ resolve: (p) => p.deletedAt !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    mappings: t.relation('mappings', { query: { orderBy: { createdAt: 'asc' } } }),
  }),
});

const ProductCreateInput = builder.inputType('ProductCreateInput', {
  fields: (t) => ({
    sku: t.string({ required: true }),
    title: t.string({ required: true }),
    description: t.string(),
    price: t.field({ type: 'Decimal', required: true }),
    currency: t.string({ required: true, description: 'ISO 4217, e.g. EUR.' }),
    stock: t.int(),
    images: t.stringList(),
    attributes: t.field({ type: 'JSON' }),
    status: t.field({ type: ProductStatusEnum }),
  }),
});

const ProductUpdateInput = builder.inputType('ProductUpdateInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    sku: t.string(),
    title: t.string(),
    description: t.string(),
    price: t.field({ type: 'Decimal' }),
    currency: t.string(),
    stock: t.int(),
    images: t.stringList(),
    attributes: t.field({ type: 'JSON' }),
    status: t.field({ type: ProductStatusEnum }),
  }),
});

/** GraphQL gives null for omitted optional fields; the services take "absent" as "unchanged". */
function withoutNulls(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
}

builder.queryFields((t) => ({
  products: t.prismaConnection({
    type: 'Product',
    cursor: 'id',
    description: 'The local catalog, most recently updated first. Deleted products are left out.',
    args: {
      search: t.arg.string({ description: 'Matches SKU or title, case-insensitively.' }),
      sku: t.arg.string({ description: 'Exact SKU.' }),
    },
    resolve: (query, _root, args, ctx) => {
      const search = args.search?.trim().slice(0, 200);
      return ctx.db.product.findMany({
        ...query,
        where: {
          userId: ctx.viewer.userId,
          deletedAt: null,
          sku: args.sku ?? undefined,
          OR: search
            ? [
                { sku: { contains: search, mode: 'insensitive' } },
                { title: { contains: search, mode: 'insensitive' } },
              ]
            : undefined,
        },
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
  product: t.prismaField({
    type: 'Product',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Product', 'id');
      const product = await ctx.db.product.findFirst({ ...query, where: { id, userId: ctx.viewer.userId } });
      if (!product) throw notFound('Product');
      return product;
    },
  }),
}));

builder.mutationFields((t) => ({
  createProduct: t.prismaField({
    type: 'Product',
    args: { input: t.arg({ type: ProductCreateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const product = await createProduct(ctx.hub, ctx.viewer, withoutNulls(args.input), ctx.requestId);
      return ctx.db.product.findUniqueOrThrow({ ...query, where: { id: product.id } });
    },
  }),
  updateProduct: t.prismaField({
    type: 'Product',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: ProductUpdateInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Product', 'id');
      const { description, ...rest } = args.input;
      const input = { ...withoutNulls(rest), ...(description !== undefined ? { description } : {}) };
      await updateProduct(ctx.hub, ctx.viewer, id, input, ctx.requestId);
      return ctx.db.product.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  deleteProduct: t.prismaField({
    type: 'Product',
    description: 'Removes the product from the catalog; its history and order lines are kept.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Product', 'id');
      await deleteProduct(ctx.hub, ctx.viewer, id, ctx.requestId);
      return ctx.db.product.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
