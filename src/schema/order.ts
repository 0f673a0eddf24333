import { notFound } from '../errors.ts';
import { OrderStatus } from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { optionalGlobalId, parseGlobalId } from './ids.ts';

const OrderStatusEnum = builder.enumType(OrderStatus, { name: 'OrderStatus' });

builder.prismaObject('OrderLine', {
  name: 'OrderLine',
  fields: (t) => ({
    externalLineId: t.exposeString('externalLineId'),
    sku: t.exposeString('sku', { nullable: true }),
    title: t.exposeString('title'),
    quantity: t.exposeInt('quantity'),
    unitPrice: t.expose('unitPrice', { type: 'Decimal' }),
    product: t.relation('product', { nullable: true }),
    stockApplied: t.boolean({ resolve: (line) => line.stockAppliedAt !== null }),
  }),
});

builder.prismaNode('Order', {
  name: 'Order',
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    integration: t.relation('integration'),
    externalId: t.exposeString('externalId'),
    status: t.field({ type: OrderStatusEnum, resolve: (o) => o.status }),
    currency: t.exposeString('currency'),
    subtotalAmount: t.expose('subtotalAmount', { type: 'Decimal', nullable: true }),
    shippingAmount: t.expose('shippingAmount', { type: 'Decimal', nullable: true }),
    totalAmount: t.expose('totalAmount', { type: 'Decimal' }),
    buyerName: t.exposeString('buyerName', { nullable: true }),
    buyerEmail: t.exposeString('buyerEmail', { nullable: true }),
    shippingCountry: t.exposeString('shippingCountry', { nullable: true }),
    placedAt: t.expose('placedAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    lines: t.relation('lines', { query: { orderBy: { externalLineId: 'asc' } } }),
  }),
});

builder.queryFields((t) => ({
  orders: t.prismaConnection({
    type: 'Order',
    cursor: 'id',
    description: 'Orders pulled from marketplaces, most recently placed first.',
    args: { integrationId: t.arg.id(), status: t.arg({ type: OrderStatusEnum }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.order.findMany({
        ...query,
        where: {
          userId: ctx.viewer.userId,
          integrationId: optionalGlobalId(args.integrationId, 'Integration', 'integrationId'),
          status: args.status ?? undefined,
        },
        orderBy: [{ placedAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  order: t.prismaField({
    type: 'Order',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Order', 'id');
      const order = await ctx.db.order.findFirst({ ...query, where: { id, userId: ctx.viewer.userId } });
      if (!order) throw notFound('Order');
      return order;
    },
  }),
}));
