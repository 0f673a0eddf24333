import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationConfig } from '../../src/integrations/settings.ts';
import type { PlatformProduct } from '../fakes/platform/store.ts';
import { openShop, openSyncWorld, seedRemoteCatalog, type Shop, type SyncWorld } from './harness.ts';

let world: SyncWorld;
let shop: Shop;
let remote: PlatformProduct[];

beforeAll(async () => {
  world = await openSyncWorld();
});
afterAll(async () => {
  await world?.close();
});
afterEach(async () => {
  await shop?.close();
});

/** A shop whose 3 products were pulled once: both sides agree and the base is set. */
async function syncedShop(config: Partial<IntegrationConfig> = {}) {
  shop = await openShop(world, { config });
  remote = seedRemoteCatalog(shop.fake, 3);
  await shop.sync('products', 'pull');
}

const local = (sku: string) => world.prisma.product.findFirstOrThrow({ where: { userId: shop.userId, sku } });
const mapping = (sku: string) => world.prisma.marketplaceProductMapping.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalSku: sku } });

async function editLocal(sku: string, data: { title?: string; price?: string; stock?: number }, changedAt: Date | null) {
  const product = await local(sku);
  const stamps = changedAt ? Object.fromEntries(Object.keys(data).map((field) => [field, changedAt.toISOString()])) : {};
  await world.prisma.product.update({ where: { id: product.id }, data: { ...data, fieldUpdatedAt: { ...(product.fieldUpdatedAt as object), ...stamps } } });
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('bidirectional products sync: three-way merge against the base', () => {
  it('only the local side changed: the local value wins and is pushed', async () => {
    await syncedShop();
    await editLocal('SKU-0001', { title: 'Local title' }, minutesAgo(1));

    const { job } = await shop.sync('products', 'bidirectional');

    expect(shop.fake.store.product(remote[0]!.id)!.title).toBe('Local title');
    expect((await local('SKU-0001')).title).toBe('Local title');
    expect(shop.fake.callsTo('POST /v1/products/batch-update')).toBe(1);
    expect(job).toMatchObject({ updatedCount: 1 });
    expect(await mapping('SKU-0001')).toMatchObject({ status: 'synced', baseValues: expect.objectContaining({ title: 'Local title' }) });
  });

  it('only the marketplace changed: the local product takes it, and nothing is pushed back', async () => {
    await syncedShop();
    shop.fake.store.updateProduct(remote[1]!.id, { price: '14.5' }, minutesAgo(1));

    await shop.sync('products', 'bidirectional');

    expect((await local('SKU-0002')).price.toString()).toBe('14.5');
    expect(shop.fake.callsTo('POST /v1/products/batch-update')).toBe(0);
    expect(await mapping('SKU-0002')).toMatchObject({ status: 'synced', baseValues: expect.objectContaining({ price: '14.5' }) });
  });

  it('both changed, with a rule per field: marketplace for the title, local for the price', async () => {
    await syncedShop({ conflictRules: { title: 'marketplace', price: 'local' } });
    await editLocal('SKU-0001', { title: 'Local title', price: '20' }, minutesAgo(1));
    shop.fake.store.updateProduct(remote[0]!.id, { title: 'Remote title', price: '30' }, minutesAgo(2));

    await shop.sync('products', 'bidirectional');

    expect(await local('SKU-0001')).toMatchObject({ title: 'Remote title' });
    expect((await local('SKU-0001')).price.toString()).toBe('20');
    expect(shop.fake.store.product(remote[0]!.id)).toMatchObject({ title: 'Remote title', price: '20' });
    expect(await world.prisma.syncConflict.count({ where: { integrationId: shop.integrationId } })).toBe(0);
  });

  it('both changed, no rule: last write wins by timestamps, each way', async () => {
    await syncedShop();
    // SKU-0001: the marketplace wrote last. SKU-0002: the hub wrote last.
    await editLocal('SKU-0001', { title: 'Local A' }, minutesAgo(10));
    shop.fake.store.updateProduct(remote[0]!.id, { title: 'Remote A' }, minutesAgo(5));
    await editLocal('SKU-0002', { title: 'Local B' }, minutesAgo(5));
    shop.fake.store.updateProduct(remote[1]!.id, { title: 'Remote B' }, minutesAgo(10));

    await shop.sync('products', 'bidirectional');

    expect((await local('SKU-0001')).title).toBe('Remote A');
    expect(shop.fake.store.product(remote[0]!.id)!.title).toBe('Remote A');
    expect((await local('SKU-0002')).title).toBe('Local B');
    expect(shop.fake.store.product(remote[1]!.id)!.title).toBe('Local B');
    expect(await world.prisma.syncConflict.count({ where: { integrationId: shop.integrationId } })).toBe(0);
  });

  it('both changed, no rule and no usable timestamp: a conflict row, not a guess — then resolved and pushed', async () => {
    await syncedShop();
    await editLocal('SKU-0003', { title: 'Local C' }, null);
    shop.fake.store.updateProduct(remote[2]!.id, { title: 'Remote C' }, minutesAgo(1));

    const { job } = await shop.sync('products', 'bidirectional');

    const conflicts = await world.prisma.syncConflict.findMany({ where: { integrationId: shop.integrationId } });
    expect(conflicts).toEqual([
      expect.objectContaining({ field: 'title', localValue: 'Local C', remoteValue: 'Remote C', baseValue: 'Product SKU-0003', status: 'open', syncJobId: job.id }),
    ]);
    expect(await mapping('SKU-0003')).toMatchObject({ status: 'conflict', baseValues: expect.objectContaining({ title: 'Product SKU-0003' }) });
    expect((await local('SKU-0003')).title).toBe('Local C');
    expect(shop.fake.store.product(remote[2]!.id)!.title).toBe('Remote C');
    expect(shop.fake.callsTo('POST /v1/products/batch-update')).toBe(0);
    const events = await world.prisma.marketplaceEventLog.findMany({ where: { integrationId: shop.integrationId, type: 'sync_conflict_detected' } });
    expect(events).toHaveLength(1);

    // Syncing again does not open a second conflict for the same field.
    await shop.sync('products', 'bidirectional');
    expect(await world.prisma.syncConflict.count({ where: { integrationId: shop.integrationId } })).toBe(1);

    // The user picks the local value (what resolveConflict does): the next sync makes the marketplace agree.
    await world.prisma.syncConflict.update({ where: { id: conflicts[0]!.id }, data: { status: 'resolved', resolution: 'local', resolvedAt: new Date() } });
    await world.prisma.marketplaceProductMapping.update({ where: { id: (await mapping('SKU-0003')).id }, data: { status: 'pending' } });
    await shop.sync('products', 'bidirectional');
    expect(shop.fake.store.product(remote[2]!.id)!.title).toBe('Local C');
    expect(await mapping('SKU-0003')).toMatchObject({ status: 'synced', baseValues: expect.objectContaining({ title: 'Local C' }) });
  });

  it('a conflict resolved with the marketplace value settles the base, so the next remote edit simply wins', async () => {
    await syncedShop();
    await editLocal('SKU-0003', { title: 'Local C' }, null);
    shop.fake.store.updateProduct(remote[2]!.id, { title: 'Remote C' }, minutesAgo(2));
    await shop.sync('products', 'bidirectional');
    const [conflict] = await world.prisma.syncConflict.findMany({ where: { integrationId: shop.integrationId } });

    // resolveConflict with the remote value: the local product takes it, the mapping goes pending.
    await world.prisma.syncConflict.update({ where: { id: conflict!.id }, data: { status: 'resolved', resolution: 'remote', resolvedAt: new Date() } });
    await editLocal('SKU-0003', { title: 'Remote C' }, new Date());
    await world.prisma.marketplaceProductMapping.update({ where: { id: (await mapping('SKU-0003')).id }, data: { status: 'pending' } });
    await shop.sync('products', 'bidirectional');
    expect(await mapping('SKU-0003')).toMatchObject({ status: 'synced', baseValues: expect.objectContaining({ title: 'Remote C' }) });
    expect(shop.fake.callsTo('POST /v1/products/batch-update')).toBe(0);

    shop.fake.store.updateProduct(remote[2]!.id, { title: 'Remote C, later' }, minutesAgo(1));
    await shop.sync('products', 'bidirectional');
    expect((await local('SKU-0003')).title).toBe('Remote C, later');
    expect(await world.prisma.syncConflict.count({ where: { integrationId: shop.integrationId, status: 'open' } })).toBe(0);
  });

  it('the manual policy turns every both-changed field into a conflict, timestamps or not', async () => {
    await syncedShop({ conflictPolicy: 'manual' });
    await editLocal('SKU-0001', { title: 'Local A' }, minutesAgo(1));
    shop.fake.store.updateProduct(remote[0]!.id, { title: 'Remote A' }, minutesAgo(5));
    await shop.sync('products', 'bidirectional');
    expect(await world.prisma.syncConflict.count({ where: { integrationId: shop.integrationId, field: 'title', status: 'open' } })).toBe(1);
  });

  it('a pull-only integration takes what the marketplace changed and keeps local-only edits', async () => {
    await syncedShop();
    await editLocal('SKU-0001', { title: 'Local A' }, minutesAgo(1));
    await editLocal('SKU-0002', { title: 'Local B' }, minutesAgo(1));
    shop.fake.store.updateProduct(remote[1]!.id, { title: 'Remote B' }, minutesAgo(5));

    await shop.sync('products', 'pull');

    expect((await local('SKU-0001')).title).toBe('Local A');
    expect((await local('SKU-0002')).title).toBe('Remote B');
    expect(shop.fake.store.writes).toEqual([]);
  });
});
