import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connectors/http/connector-error.ts';
import { SimulatedCrash } from './job-context.ts';
import { openShop, openSyncWorld, type Shop, type SyncWorld } from './harness.ts';

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

async function seedLocalCatalog(count: number) {
  await world.prisma.product.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      userId: shop.userId,
      sku: `LOC-${String(index + 1).padStart(4, '0')}`,
      title: `Local ${index + 1}`,
      price: '9.90',
      currency: 'EUR',
      stock: 3,
    })),
  });
}

function createdSkus() {
  return shop.fake.store.writes.filter((write) => write.kind === 'create').map((write) => write.sku);
}

describe('products push', () => {
  it('creates in full batches, then updates only what changed: calls at the theoretical minimum', async () => {
    shop = await openShop(world, { fake: { maxBatchSize: 50 } });
    await seedLocalCatalog(120);

    const first = await shop.sync('products', 'push');
    expect(shop.fake.callsTo('POST /v1/products/batch')).toBe(3);
    expect(shop.fake.totalCalls()).toBe(3);
    expect(first.job).toMatchObject({ createdCount: 120, processed: 120, total: 120 });
    expect(shop.fake.store.productCount).toBe(120);

    // Three catalog edits and one stock-only edit (stock goes through the inventory phase).
    const products = await world.prisma.product.findMany({ where: { userId: shop.userId }, orderBy: { sku: 'asc' } });
    for (const product of products.slice(0, 3)) {
      await world.prisma.product.update({ where: { id: product.id }, data: { title: `${product.title} (new)` } });
    }
    await world.prisma.product.update({ where: { id: products[50]!.id }, data: { stock: 99 } });

    const second = await shop.sync('products', 'push');
    expect(shop.fake.totalCalls()).toBe(4);
    expect(shop.fake.callsTo('POST /v1/products/batch-update')).toBe(1);
    expect(second.job).toMatchObject({ updatedCount: 3, unchangedCount: 117, createdCount: 0 });
    expect(shop.fake.store.productsBySku(['LOC-0001'])[0]!.title).toBe('Local 1 (new)');

    await shop.sync('products', 'push');
    expect(shop.fake.totalCalls()).toBe(4);
  });

  it('records per-item failures on the mapping and ends partially succeeded; the next push retries them', async () => {
    shop = await openShop(world, { fake: { maxBatchSize: 50 } });
    await seedLocalCatalog(10);
    shop.fake.knobs.rejectSkus = new Map([['LOC-0003', 'Category requires a brand']]);

    const first = await shop.sync('products', 'push');
    expect(first.job).toMatchObject({ status: 'partially_succeeded', createdCount: 9, failedCount: 1 });
    expect(first.outcome.itemFailures).toBe(1);
    expect(first.outcome.results).toMatchObject({ failures: [{ phase: 'products-push', sku: 'LOC-0003', error: 'Category requires a brand' }] });

    // An update that fails is kept on the mapping.
    await world.prisma.product.updateMany({ where: { userId: shop.userId, sku: { in: ['LOC-0001', 'LOC-0002'] } }, data: { title: 'Edited' } });
    shop.fake.knobs.rejectSkus = new Map([['LOC-0002', 'Title too short']]);
    const second = await shop.sync('products', 'push');
    expect(second.job).toMatchObject({ createdCount: 1, updatedCount: 1, failedCount: 1 });
    const failed = await world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalSku: 'LOC-0002' } });
    expect(failed).toMatchObject({ status: 'error', syncError: 'Title too short' });

    shop.fake.knobs.rejectSkus = undefined;
    const third = await shop.sync('products', 'push');
    expect(third.job).toMatchObject({ status: 'succeeded', createdCount: 0, updatedCount: 1, failedCount: 0 });
    expect(await world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { id: failed.id } })).toMatchObject({ status: 'synced', syncError: null });
    expect(createdSkus().sort()).toEqual(Array.from({ length: 10 }, (_, index) => `LOC-${String(index + 1).padStart(4, '0')}`));
  });

  it('a lost create response does not duplicate: the next attempt checks the intent SKUs before retrying', async () => {
    shop = await openShop(world, { fake: { maxBatchSize: 50 } });
    await seedLocalCatalog(80);
    shop.fake.knobs.dropAfterWrite = 1;

    const run = await shop.sync('products', 'push');

    expect(run.crashes).toHaveLength(1);
    expect(run.crashes[0]).toBeInstanceOf(ConnectorError);
    expect(shop.fake.callsTo('POST /v1/products/batch')).toBe(2);
    expect(createdSkus()).toHaveLength(80);
    expect(new Set(createdSkus()).size).toBe(80);
    expect(run.job).toMatchObject({ status: 'succeeded', createdCount: 80 });
    expect(run.outcome.results).toMatchObject({ phases: { 'products-push': { figures: { recoveredCreates: 50 } } } });
    expect(await world.prisma.marketplaceProductMapping.count({ where: { integrationId: shop.integrationId, status: 'synced' } })).toBe(80);
  });

  it('a crash between the create call and its commit, or before the call, creates each product once', async () => {
    shop = await openShop(world, { fake: { maxBatchSize: 50 } });
    await seedLocalCatalog(120);

    // Attempt 1 dies inside the results commit of batch 1 (2nd commit); attempt 2 dies right
    // after committing the intent of its second batch, before sending it.
    const run = await shop.sync('products', 'push', { crashes: [{ insideCommit: 2 }, { afterCommit: 3 }] });

    expect(run.crashes.every((error) => error instanceof SimulatedCrash)).toBe(true);
    expect(run.crashes).toHaveLength(2);
    expect(createdSkus()).toHaveLength(120);
    expect(new Set(createdSkus()).size).toBe(120);
    expect(run.job).toMatchObject({ createdCount: 120 });
    expect(await world.prisma.marketplaceProductMapping.count({ where: { integrationId: shop.integrationId } })).toBe(120);
  });

  it('skips products whose mapping waits on a conflict or is deleted', async () => {
    shop = await openShop(world);
    await seedLocalCatalog(3);
    await shop.sync('products', 'push');
    const mappings = await world.prisma.marketplaceProductMapping.findMany({ where: { integrationId: shop.integrationId }, orderBy: { externalSku: 'asc' } });
    await world.prisma.marketplaceProductMapping.update({ where: { id: mappings[0]!.id }, data: { status: 'conflict' } });
    await world.prisma.marketplaceProductMapping.update({ where: { id: mappings[1]!.id }, data: { status: 'deleted' } });
    await world.prisma.product.updateMany({ where: { userId: shop.userId }, data: { title: 'Everything renamed' } });

    const { job } = await shop.sync('products', 'push');
    expect(job).toMatchObject({ updatedCount: 1, skippedCount: 2 });
    expect(shop.fake.callsTo('POST /v1/products/batch-update')).toBe(1);
  });
});
