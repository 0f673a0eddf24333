import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openShop, openSyncWorld, seedRemoteCatalog, type Shop, type SyncWorld } from './harness.ts';

let world: SyncWorld;
let shop: Shop;

beforeAll(async () => {
  world = await openSyncWorld();
});
afterAll(async () => {
  await world?.close();
});
afterEach(async () => {
  await shop?.close();
});

const stockCalls = () => shop.fake.callsTo('POST /v1/inventory/batch');

describe('inventory push', () => {
  it('sends stock changes in batches of the platform maximum, and nothing when nothing moved', async () => {
    shop = await openShop(world, { fake: { maxPageSize: 100, maxStockBatchSize: 200 } });
    const remote = seedRemoteCatalog(shop.fake, 450);
    await shop.sync('products', 'pull');
    await world.prisma.product.updateMany({ where: { userId: shop.userId }, data: { stock: 42 } });

    const first = await shop.sync('inventory', 'push');

    expect(stockCalls()).toBe(3);
    // The platform answers 400 to a batch over its maximum: all three were accepted.
    const statuses = shop.fake.log.filter((entry) => entry.route === 'POST /v1/inventory/batch').map((entry) => entry.status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(first.job).toMatchObject({ updatedCount: 450, processed: 450, total: 450 });
    expect(shop.fake.store.writes.filter((write) => write.kind === 'stock')).toHaveLength(450);
    expect(shop.fake.store.product(remote[449]!.id)!.stock).toBe(42);

    await shop.sync('inventory', 'push');
    expect(stockCalls()).toBe(3);

    // A price change goes with the stock endpoint too; afterwards products push and a complete pull see nothing new.
    await world.prisma.product.updateMany({ where: { userId: shop.userId, sku: 'SKU-0007' }, data: { price: '11.11' } });
    await shop.sync('inventory', 'push');
    expect(stockCalls()).toBe(4);
    expect(shop.fake.store.product(remote[6]!.id)!.price).toBe('11.11');
    world.writes.reset();
    await shop.sync('products', 'bidirectional', { connector: { capabilities: { incrementalProducts: false } } });
    expect(shop.fake.callsTo('POST /v1/products/batch-update')).toBe(0);
    expect(world.writes.statements).toEqual([]);
  });

  it('records a rejected stock update on the mapping and counts it', async () => {
    shop = await openShop(world);
    seedRemoteCatalog(shop.fake, 4);
    await shop.sync('products', 'pull');
    await world.prisma.product.updateMany({ where: { userId: shop.userId }, data: { stock: 1 } });
    shop.fake.knobs.rejectSkus = new Map([['SKU-0002', 'Offer is locked']]);

    const { job, outcome } = await shop.sync('inventory', 'push');

    expect(job).toMatchObject({ status: 'partially_succeeded', updatedCount: 3, failedCount: 1 });
    expect(outcome.itemFailures).toBe(1);
    expect(await world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalSku: 'SKU-0002' } })).toMatchObject({
      status: 'error',
      syncError: 'Offer is locked',
    });
  });

  it('resumes a stock push after a crash: committed batches are not sent again, the one in flight is', async () => {
    shop = await openShop(world, { fake: { maxStockBatchSize: 10 } });
    seedRemoteCatalog(shop.fake, 35);
    await shop.sync('products', 'pull');
    await world.prisma.product.updateMany({ where: { userId: shop.userId }, data: { stock: 7 } });

    // Batch n+1 is sent while batch n's results commit; the crash follows the 2nd batch's commit, with the 3rd in flight.
    const run = await shop.sync('inventory', 'push', { crashes: [{ afterCommit: 2 }] });

    expect(run.crashes).toHaveLength(1);
    expect(stockCalls()).toBe(5);
    const writes = shop.fake.store.writes.filter((write) => write.kind === 'stock');
    expect(writes).toHaveLength(45);
    const perSku = new Map<string, number>();
    for (const write of writes) perSku.set(write.sku, (perSku.get(write.sku) ?? 0) + 1);
    expect([...perSku.values()].filter((count) => count === 2)).toHaveLength(10);
    expect(run.job).toMatchObject({ updatedCount: 35 });
  });
});

describe('stock the marketplace owns', () => {
  const owns = { connector: { capabilities: { marketplaceOwnsStock: true } } };

  it('is pulled (the marketplace wins over a local edit) and never pushed', async () => {
    shop = await openShop(world);
    const remote = seedRemoteCatalog(shop.fake, 3);
    await shop.sync('products', 'pull', owns);
    shop.fake.store.updateProduct(remote[0]!.id, { stock: 17 }, new Date());
    await world.prisma.product.updateMany({ where: { userId: shop.userId, sku: 'SKU-0002' }, data: { stock: 99, fieldUpdatedAt: { stock: new Date().toISOString() } } });

    const pulled = await shop.sync('inventory', 'bidirectional', owns);
    expect(pulled.job.phase).toBe('inventory-pull');
    expect((await world.prisma.product.findFirstOrThrow({ where: { userId: shop.userId, sku: 'SKU-0001' } })).stock).toBe(17);

    const pushed = await shop.sync('inventory', 'push', owns);
    expect(pushed.outcome.results).toMatchObject({ phases: { 'inventory-push': { notes: ['skipped: the marketplace owns stock'] } } });
    expect(stockCalls()).toBe(0);

    // A products sync takes the marketplace's stock even over the local edit.
    shop.fake.store.updateProduct(remote[1]!.id, { stock: 3 }, new Date(Date.now() + 1000));
    await shop.sync('products', 'bidirectional', owns);
    expect((await world.prisma.product.findFirstOrThrow({ where: { userId: shop.userId, sku: 'SKU-0002' } })).stock).toBe(3);
  });
});

describe('full sync', () => {
  it('runs products, orders and inventory as phases; a sale reaches the marketplace in the same job', async () => {
    shop = await openShop(world);
    const remote = seedRemoteCatalog(shop.fake, 5);
    await world.prisma.product.create({ data: { userId: shop.userId, sku: 'NEW-1', title: 'Only here', price: '3', currency: 'EUR', stock: 8 } });
    shop.fake.store.createOrder({
      id: 'o-1',
      status: 'paid',
      currency: 'EUR',
      subtotal: null,
      shipping: null,
      total: '20.00',
      buyer: null,
      shipping_country: null,
      placed_at: new Date().toISOString(),
      lines: [{ id: 'o-1-1', product_id: remote[0]!.id, sku: 'SKU-0001', title: 'x', quantity: 2, unit_price: '10.00' }],
    });

    const { job, outcome } = await shop.sync('full', 'bidirectional');

    expect(Object.keys(outcome.results.phases as object)).toEqual(['products-pull', 'orders-pull', 'products-push', 'inventory-push']);
    expect(job).toMatchObject({ status: 'succeeded', phase: 'inventory-push' });
    expect(outcome).toMatchObject({ ordersSynced: 1, itemFailures: 0, warnings: [] });
    expect(outcome.cursors).toMatchObject({ products: expect.any(Object), orders: expect.any(Object) });
    expect(shop.fake.store.productsBySku(['NEW-1'])).toHaveLength(1);
    // The order took 2 off SKU-0001 locally; the inventory phase pushed 3 to the marketplace.
    expect(shop.fake.store.product(remote[0]!.id)!.stock).toBe(3);
    expect(shop.fake.callsTo('POST /v1/inventory/batch')).toBe(1);
  });
});
