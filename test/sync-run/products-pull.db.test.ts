import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { StatisticsKeeper } from '../../src/sync/run/statistics.ts';
import { SimulatedCrash } from './job-context.ts';
import { openShop, openSyncWorld, productFields, seedRemoteCatalog, type Shop, type SyncWorld } from './harness.ts';

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

const mappingsOf = (integrationId: string) =>
  world.prisma.marketplaceProductMapping.findMany({ where: { integrationId }, include: { product: true }, orderBy: { externalId: 'asc' } });

describe('products pull', () => {
  it('pulls a whole catalog page by page, creating products and mappings, and links an existing SKU', async () => {
    shop = await openShop(world, { fake: { maxPageSize: 10 } });
    const remote = seedRemoteCatalog(shop.fake, 25);
    const existing = await world.prisma.product.create({
      data: { userId: shop.userId, sku: 'SKU-0007', title: 'Product SKU-0007', price: '10', currency: 'EUR', stock: 5 },
    });

    const { job, outcome } = await shop.sync('products', 'pull');

    expect(shop.fake.callsTo('GET /v1/products')).toBe(3);
    expect(job).toMatchObject({ phase: 'products-pull', processed: 25, total: 25, createdCount: 24, updatedCount: 0, unchangedCount: 1, failedCount: 0 });
    expect(outcome.results).toMatchObject({ phases: { 'products-pull': { figures: { pages: 3, linked: 1 } } } });
    const mappings = await mappingsOf(shop.integrationId);
    expect(mappings).toHaveLength(25);
    expect(mappings.map((mapping) => mapping.externalId)).toEqual(remote.map((product) => product.id));
    expect(mappings.every((mapping) => mapping.status === 'synced' && mapping.pulledHash && mapping.pushedHash)).toBe(true);
    expect(mappings.find((mapping) => mapping.externalSku === 'SKU-0007')!.productId).toBe(existing.id);
    expect(await world.prisma.product.count({ where: { userId: shop.userId } })).toBe(25);
    expect(outcome.cursors).toMatchObject({ products: { updatedSince: expect.any(String), lastCompleteAt: expect.any(String) } });
  });

  it('writes nothing when the catalog did not change, and an incremental pull only fetches what changed', async () => {
    shop = await openShop(world, { fake: { maxPageSize: 10 } });
    const remote = seedRemoteCatalog(shop.fake, 30);
    await shop.sync('products', 'pull');

    // Complete re-pull (a connector that cannot filter): every item is read, none written.
    world.writes.reset();
    const repull = await shop.sync('products', 'pull', { connector: { capabilities: { incrementalProducts: false } } });
    expect(repull.job).toMatchObject({ unchangedCount: 30, createdCount: 0, updatedCount: 0 });
    expect(world.writes.statements).toEqual([]);

    // Two products change on the platform, a second later.
    const later = new Date(Date.now() + 1000);
    shop.fake.store.updateProduct(remote[3]!.id, { title: 'Renamed' }, later);
    shop.fake.store.updateProduct(remote[17]!.id, { price: '12.50' }, later);
    const callsBefore = shop.fake.callsTo('GET /v1/products');
    const incremental = await shop.sync('products', 'pull');
    // (The write log does see the batched raw updates.)
    expect(world.writes.statements.filter((sql) => /^UPDATE products AS t/.test(sql))).toHaveLength(1);
    expect(shop.fake.callsTo('GET /v1/products') - callsBefore).toBe(1);
    const listed = shop.fake.log.filter((entry) => entry.route === 'GET /v1/products').at(-1)!;
    expect(listed.query.get('updated_since')).not.toBeNull();
    // The newest item of the last listing is read again (the boundary is inclusive); its hash says unchanged.
    expect(incremental.job).toMatchObject({ updatedCount: 2, unchangedCount: 1, processed: 3 });
    const products = await world.prisma.product.findMany({ where: { userId: shop.userId, sku: { in: ['SKU-0004', 'SKU-0018'] } }, orderBy: { sku: 'asc' } });
    expect(products.map((product) => [product.title, product.price.toString()])).toEqual([
      ['Renamed', '10'],
      ['Product SKU-0018', '12.5'],
    ]);
  });

  it('resumes after a crash without fetching the committed pages again', async () => {
    shop = await openShop(world, { fake: { maxPageSize: 10 } });
    seedRemoteCatalog(shop.fake, 50);

    const run = await shop.sync('products', 'pull', { crashes: [{ afterCommit: 2 }] });

    expect(run.crashes[0]).toBeInstanceOf(SimulatedCrash);
    const tokens = shop.fake.log.filter((entry) => entry.route === 'GET /v1/products').map((entry) => entry.query.get('page_token'));
    // Pages 1 and 2 committed; page 3 was fetched ahead before the crash and is the only one fetched twice.
    expect(tokens.filter((token) => token === null)).toHaveLength(1);
    expect(new Set(tokens).size).toBe(5);
    expect(tokens).toHaveLength(6);
    expect(run.job).toMatchObject({ createdCount: 50, processed: 50 });
    expect(await world.prisma.marketplaceProductMapping.count({ where: { integrationId: shop.integrationId } })).toBe(50);
  });

  it('a crash inside a page commit rolls the page back and the next attempt applies it once', async () => {
    shop = await openShop(world, { fake: { maxPageSize: 10 } });
    seedRemoteCatalog(shop.fake, 20);
    const run = await shop.sync('products', 'pull', { crashes: [{ insideCommit: 2 }] });
    expect(run.job).toMatchObject({ createdCount: 20, processed: 20 });
    expect(await world.prisma.product.count({ where: { userId: shop.userId } })).toBe(20);
  });

  it('skips a second marketplace item with a SKU that is already linked', async () => {
    shop = await openShop(world);
    shop.fake.store.createProduct(productFields('DUP'));
    shop.fake.store.createProduct(productFields('DUP', { title: 'Second listing' }));
    const { job, outcome } = await shop.sync('products', 'pull');
    expect(job).toMatchObject({ createdCount: 1, skippedCount: 1 });
    expect(outcome.results).toMatchObject({ phases: { 'products-pull': { figures: { duplicateSkus: 1 } } } });
  });
});

describe('deletions', () => {
  const complete = { connector: { capabilities: { incrementalProducts: false } } };

  it('flags a product missing from a complete pull, and marks it deleted after the threshold', async () => {
    shop = await openShop(world, { config: { deletionMissThreshold: 2, maxDeletionShare: 0.5 } });
    const remote = seedRemoteCatalog(shop.fake, 10);
    await shop.sync('products', 'pull');
    shop.fake.store.deleteProduct(remote[4]!.id);

    const first = await shop.sync('products', 'pull', complete);
    let mapping = await world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalId: remote[4]!.id } });
    expect(mapping).toMatchObject({ status: 'missing', missedPulls: 1 });
    expect(first.outcome.results).toMatchObject({ phases: { 'products-pull': { figures: { missing: 1, deleted: 0 } } } });

    // An incremental pull is not complete: it says nothing about deletions.
    await shop.sync('products', 'pull');
    mapping = await world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalId: remote[4]!.id } });
    expect(mapping).toMatchObject({ status: 'missing', missedPulls: 1 });

    const second = await shop.sync('products', 'pull', complete);
    mapping = await world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalId: remote[4]!.id } });
    expect(mapping).toMatchObject({ status: 'deleted', missedPulls: 2 });
    expect(second.outcome.warnings).toEqual([]);
    // The local product stays; only the link is gone.
    expect(await world.prisma.product.count({ where: { id: mapping.productId, deletedAt: null } })).toBe(1);
  });

  it('a product that comes back before the threshold is synced again', async () => {
    shop = await openShop(world, { config: { deletionMissThreshold: 2 } });
    const remote = seedRemoteCatalog(shop.fake, 3);
    await shop.sync('products', 'pull');
    const gone = remote[1]!;
    shop.fake.store.deleteProduct(gone.id);
    await shop.sync('products', 'pull', complete);
    // Relisted with the same id.
    shop.fake.store['products'].set(gone.id, gone);
    const back = await shop.sync('products', 'pull', complete);
    expect(await world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalId: gone.id } })).toMatchObject({ status: 'synced', missedPulls: 0 });
    expect(back.outcome.results).toMatchObject({ phases: { 'products-pull': { figures: { revived: 1 } } } });
  });

  it('never deletes more than maxDeletionShare in one job: stops, warns and logs deletion_guard_triggered', async () => {
    shop = await openShop(world, { config: { deletionMissThreshold: 1, maxDeletionShare: 0.2 } });
    const remote = seedRemoteCatalog(shop.fake, 10);
    await shop.sync('products', 'pull');
    for (const product of remote.slice(0, 6)) shop.fake.store.deleteProduct(product.id);

    const { job, outcome } = await shop.sync('products', 'pull', complete);

    const statuses = await world.prisma.marketplaceProductMapping.groupBy({ by: ['status'], where: { integrationId: shop.integrationId }, _count: true });
    expect(Object.fromEntries(statuses.map((row) => [row.status, row._count]))).toEqual({ deleted: 2, missing: 4, synced: 4 });
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toMatch(/Deletion guard: 4 product/);
    expect(job.status).toBe('partially_succeeded');
    const events = await world.prisma.marketplaceEventLog.findMany({ where: { integrationId: shop.integrationId, type: 'deletion_guard_triggered' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severity: 'warning', syncJobId: job.id, data: { held: 4, deleted: 2 } });
  });

  it('a targeted pull treats a product the marketplace no longer has as an explicit delete', async () => {
    shop = await openShop(world, { config: { maxDeletionShare: 0.5 } });
    const remote = seedRemoteCatalog(shop.fake, 4);
    await shop.sync('products', 'pull');
    shop.fake.store.deleteProduct(remote[0]!.id);
    shop.fake.store.updateProduct(remote[1]!.id, { title: 'Changed' }, new Date(Date.now() + 1000));

    const { job } = await shop.sync('products', 'pull', { scope: { externalProductIds: [remote[0]!.id, remote[1]!.id] } });

    expect(shop.fake.callsTo('GET /v1/products/:id')).toBe(2);
    expect(await world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalId: remote[0]!.id } })).toMatchObject({ status: 'deleted' });
    expect(job).toMatchObject({ updatedCount: 1 });
  });
});

describe('statistics after a bulk import', () => {
  it('analyzes products and mappings once a job inserted more rows than the statistics counted', async () => {
    shop = await openShop(world);
    seedRemoteCatalog(shop.fake, 40);
    await shop.sync('products', 'pull');
    const counted = async () =>
      Number((await world.prisma.$queryRawUnsafe<{ rows: number }[]>(`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'marketplace_product_mappings'::regclass`))[0]!.rows);
    const keeper = new StatisticsKeeper(world.prisma, createLogger('silent'), 10);
    await keeper.afterInserts(5);
    expect(keeper).toMatchObject({ insertedSinceAnalyze: 5 });
    await keeper.afterInserts(1_000_000);
    expect(keeper).toMatchObject({ insertedSinceAnalyze: 0 });
    expect(await counted()).toBeGreaterThanOrEqual(40);
  });
});
