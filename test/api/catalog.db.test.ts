import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateProductDocument,
  DeleteProductDocument,
  EventLogsDocument,
  LinkProductDocument,
  ProductDocument,
  ProductMappingsDocument,
  ProductsDocument,
  ResolveConflictDocument,
  SyncConflictsDocument,
  UnlinkProductDocument,
  UpdateProductDocument,
  OrdersDocument,
} from '../generated/graphql/graphql.ts';
import { graphqlClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { gid, seedIntegration, seedProduct } from '../helpers/seed.ts';

let t: TestHub;
let user: Awaited<ReturnType<TestHub['newUser']>>;
let api: ReturnType<typeof graphqlClient>;

beforeAll(async () => {
  t = await startTestHub();
  user = await t.newUser();
  api = graphqlClient(t.baseUrl, user.authorization);
});
afterAll(async () => {
  await t?.stop();
});

const lamp = { sku: 'LAMP-1', title: 'Desk lamp', price: '39.90', currency: 'EUR', stock: 12, images: ['https://cdn.example/lamp.jpg'] };

describe('products', () => {
  it('creates, reads, updates and deletes a product, logging each change', async () => {
    const { createProduct: created } = await api.data(CreateProductDocument, { input: { ...lamp, attributes: { color: 'black' } } });
    expect(created).toMatchObject({ sku: 'LAMP-1', price: '39.90', currency: 'EUR', stock: 12, status: 'active', deleted: false, attributes: { color: 'black' } });
    const { updateProduct: updated } = await api.data(UpdateProductDocument, { id: created.id, input: { stock: 3, price: '35.00' } });
    expect(updated).toMatchObject({ stock: 3, price: '35.00', title: 'Desk lamp' });
    expect((await api.data(ProductDocument, { id: created.id })).product.sku).toBe('LAMP-1');
    const { deleteProduct: deleted } = await api.data(DeleteProductDocument, { id: created.id });
    expect(deleted.deleted).toBe(true);
    expect(await api.errorCode(UpdateProductDocument, { id: created.id, input: { stock: 1 } })).toBe('NOT_FOUND');
    expect((await api.data(ProductsDocument, { sku: 'LAMP-1' })).products.edges).toEqual([]);
    const { eventLogs } = await api.data(EventLogsDocument, { types: ['product_created', 'product_updated', 'product_deleted'] });
    expect(eventLogs.edges.map((e) => e.node.type)).toEqual(['product_deleted', 'product_updated', 'product_created']);
    // The SKU is free again after a delete.
    await api.data(CreateProductDocument, { input: lamp });
  });

  it('rejects bad input with a field path per problem, and stores nothing', async () => {
    const { body } = await api.call(CreateProductDocument, {
      input: { sku: ' ', title: 'x', price: '12.345678', currency: 'euro', stock: -1, images: ['ftp://x/y.png'] },
    });
    const error = body.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const paths = (error?.extensions?.fieldErrors as { path: string[] }[]).map((f) => f.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.sku', 'input.price', 'input.currency', 'input.stock', 'input.images.0']));
    expect((await api.data(ProductsDocument, { search: 'x' })).products.edges).toEqual([]);
  });

  it('refuses a duplicate SKU with CONFLICT', async () => {
    await api.data(CreateProductDocument, { input: { ...lamp, sku: 'DUP-1' } });
    const { body } = await api.call(CreateProductDocument, { input: { ...lamp, sku: 'DUP-1' } });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fieldErrors: [{ path: ['input', 'sku'] }] });
  });

  it('searches SKU and title case-insensitively', async () => {
    await api.data(CreateProductDocument, { input: { ...lamp, sku: 'CHAIR-9', title: 'Oak Chair' } });
    const bySearch = await api.data(ProductsDocument, { search: 'oak' });
    expect(bySearch.products.edges.map((e) => e.node.sku)).toEqual(['CHAIR-9']);
    expect((await api.data(ProductsDocument, { search: 'chair-' })).products.edges).toHaveLength(1);
  });
});

describe('product mappings', () => {
  it('links a product to a marketplace item once, lists it, and unlinks it', async () => {
    const integration = await seedIntegration(t.hub.database.prisma, user.userId);
    const integrationId = gid.integration(integration.id);
    const { createProduct: product } = await api.data(CreateProductDocument, { input: { ...lamp, sku: 'MAP-1' } });
    const { linkProduct: mapping } = await api.data(LinkProductDocument, { integrationId, productId: product.id, externalId: 'offer-77' });
    expect(mapping).toMatchObject({ externalId: 'offer-77', status: 'pending', product: { id: product.id } });
    expect(await api.errorCode(LinkProductDocument, { integrationId, productId: product.id, externalId: 'offer-78' })).toBe('CONFLICT');
    const { productMappings } = await api.data(ProductMappingsDocument, { integrationId });
    expect(productMappings.edges.map((e) => e.node.externalId)).toEqual(['offer-77']);
    expect((await api.data(UnlinkProductDocument, { id: mapping.id })).unlinkProduct).toBe(mapping.id);
    expect(await api.errorCode(UnlinkProductDocument, { id: mapping.id })).toBe('NOT_FOUND');
    expect(await api.errorCode(LinkProductDocument, { integrationId, productId: product.id, externalId: ' ' })).toBe('BAD_USER_INPUT');
  });
});

describe('sync conflicts', () => {
  it('lists open conflicts with the three values and resolves one with the marketplace value', async () => {
    const prisma = t.hub.database.prisma;
    const integration = await seedIntegration(prisma, user.userId);
    const product = await seedProduct(prisma, user.userId, 'CONF-1', { price: '20.00' });
    const mapping = await prisma.marketplaceProductMapping.create({
      data: { userId: user.userId, integrationId: integration.id, productId: product.id, externalId: 'ext-1', status: 'conflict' },
    });
    const conflict = await prisma.syncConflict.create({
      data: {
        userId: user.userId,
        integrationId: integration.id,
        productId: product.id,
        mappingId: mapping.id,
        field: 'price',
        localValue: '22.00',
        remoteValue: '24.50',
        baseValue: '20.00',
      },
    });
    const { syncConflicts } = await api.data(SyncConflictsDocument, { integrationId: gid.integration(integration.id), status: 'open' });
    expect(syncConflicts.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ field: 'price', localValue: '22.00', remoteValue: '24.50', baseValue: '20.00', status: 'open' }),
    ]);
    const { resolveConflict } = await api.data(ResolveConflictDocument, { id: gid.conflict(conflict.id), choice: 'remote' });
    expect(resolveConflict).toMatchObject({ status: 'resolved', resolution: 'remote', resolvedValue: '24.50' });
    expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).price.toString()).toBe('24.5');
    expect((await prisma.marketplaceProductMapping.findUniqueOrThrow({ where: { id: mapping.id } })).status).toBe('pending');
    expect(await api.errorCode(ResolveConflictDocument, { id: gid.conflict(conflict.id), choice: 'local' })).toBe('CONFLICT');
  });
});

describe('orders', () => {
  it('lists orders pulled from a marketplace with their lines, newest first', async () => {
    const prisma = t.hub.database.prisma;
    const integration = await seedIntegration(prisma, user.userId);
    for (const [externalId, placedAt] of [['A-1', '2026-11-01T10:00:00Z'], ['A-2', '2026-11-02T10:00:00Z']] as const) {
      await prisma.order.create({
        data: {
          userId: user.userId,
          integrationId: integration.id,
          externalId,
          status: 'paid',
          currency: 'EUR',
          totalAmount: '59.80',
          placedAt: new Date(placedAt),
          lines: { create: [{ userId: user.userId, externalLineId: '1', sku: 'LAMP-1', title: 'Lamp', quantity: 2, unitPrice: '29.90' }] },
        },
      });
    }
    const { orders } = await api.data(OrdersDocument, { integrationId: gid.integration(integration.id) });
    expect(orders.edges.map((e) => e.node.externalId)).toEqual(['A-2', 'A-1']);
    expect(orders.edges[0]!.node.lines).toEqual([{ sku: 'LAMP-1', quantity: 2, unitPrice: '29.90' }]);
  });
});
