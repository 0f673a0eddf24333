import { MappingStatus } from '../generated/prisma/enums.ts';
import { linkProduct, unlinkProduct } from '../sync/mappings.ts';
import { builder } from './builder.ts';
import { optionalGlobalId, parseGlobalId } from './ids.ts';

const MappingStatusEnum = builder.enumType(MappingStatus, {
  name: 'MappingStatus',
  description: 'synced: both sides agree; pending: to reconcile at the next sync; missing: absent from the last complete pull.',
});

builder.prismaNode('MarketplaceProductMapping', {
  name: 'ProductMapping',
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    integration: t.relation('integration'),
    product: t.relation('product'),
    externalId: t.exposeString('externalId'),
    externalSku: t.exposeString('externalSku', { nullable: true }),
    externalVariantId: t.exposeString('externalVariantId', { nullable: true }),
    status: t.field({ type: MappingStatusEnum, resolve: (m) => m.status }),
    syncError: t.exposeString('syncError', { nullable: true }),
    lastPushedAt: t.expose('lastPushedAt', { type: 'DateTime', nullable: true }),
    lastPulledAt: t.expose('lastPulledAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  productMappings: t.prismaConnection({
    type: 'MarketplaceProductMapping',
    cursor: 'id',
    description: 'Links between local products and marketplace items, newest first.',
    args: { integrationId: t.arg.id(), status: t.arg({ type: MappingStatusEnum }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.marketplaceProductMapping.findMany({
        ...query,
        where: {
          userId: ctx.viewer.userId,
          integrationId: optionalGlobalId(args.integrationId, 'Integration', 'integrationId'),
          status: args.status ?? undefined,
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

builder.mutationFields((t) => ({
  linkProduct: t.prismaField({
    type: 'MarketplaceProductMapping',
    description: 'Maps a local product to a marketplace item by hand; the next sync reconciles them.',
    args: {
      integrationId: t.arg.id({ required: true }),
      productId: t.arg.id({ required: true }),
      externalId: t.arg.string({ required: true }),
      externalSku: t.arg.string(),
      externalVariantId: t.arg.string(),
    },
    resolve: async (query, _root, args, ctx) => {
      const mapping = await linkProduct(
        ctx.hub,
        ctx.viewer,
        {
          integrationId: parseGlobalId(String(args.integrationId), 'Integration', 'integrationId'),
          productId: parseGlobalId(String(args.productId), 'Product', 'productId'),
          externalId: args.externalId,
          externalSku: args.externalSku,
          externalVariantId: args.externalVariantId,
        },
        ctx.requestId,
      );
      return ctx.db.marketplaceProductMapping.findUniqueOrThrow({ ...query, where: { id: mapping.id } });
    },
  }),
  unlinkProduct: t.field({
    type: 'ID',
    description: 'Removes a mapping and returns its id; neither product is changed.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await unlinkProduct(ctx.hub, ctx.viewer, parseGlobalId(String(args.id), 'ProductMapping', 'id'), ctx.requestId);
      return args.id;
    },
  }),
}));
