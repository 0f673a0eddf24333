import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOrder, PlatformProduct } from '../fakes/platform/store.ts';
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

const stockOf = async (sku: string) => (await world.prisma.product.findFirstOrThrow({ where: { userId: shop.userId, sku } })).stock;

function order(id: string, lines: { product?: PlatformProduct; sku?: string; quantity: number }[], status: PlatformOrder['status'] = 'paid', minutesAgo = 30) {
  return shop.fake.store.createOrder(
    {
      id,
      status,
      currency: 'EUR',
      subtotal: '20.00',
      shipping: '4.90',
      total: '24.90',
      buyer: { name: 'Ada', email: 'ada@example.com' },
      shipping_country: 'FR',
      placed_at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      lines: lines.map((line, index) => ({
        id: `${id}-${index + 1}`,
        product_id: line.product?.id ?? null,
        sku: line.sku ?? null,
        title: 'Line',
        quantity: line.quantity,
        unit_price: '10.00',
      })),
    },
    new Date(Date.now() - minutesAgo * 60_000),
  );
}

async function shopWithCatalog() {
  shop = await openShop(world, { fake: { maxPageSize: 2 } });
  remote = seedRemoteCatalog(shop.fake, 3);
  await shop.sync('products', 'pull');
  await world.prisma.product.create({ data: { userId: shop.userId, sku: 'LOCAL-ONLY', title: 'Unlisted', price: '5', currency: 'EUR', stock: 4 } });
}

describe('orders pull', () => {
  it('imports orders page by page, links lines by mapping or SKU, and takes stock off once', async () => {
    await shopWithCatalog();
    order('o-1', [{ product: remote[0], quantity: 2 }, { sku: 'LOCAL-ONLY', quantity: 1 }, { sku: 'UNKNOWN', quantity: 1 }], 'paid', 50);
    order('o-2', [{ product: remote[1], quantity: 1 }], 'pending', 40);
    order('o-3', [{ product: remote[1], quantity: 3 }], 'cancelled', 30);

    const first = await shop.sync('orders', 'pull');

    expect(first.job).toMatchObject({ createdCount: 3, processed: 3 });
    expect(first.outcome.ordersSynced).toBe(3);
    expect(shop.fake.callsTo('GET /v1/orders')).toBe(2);
    expect(first.outcome.results).toMatchObject({ phases: { 'orders-pull': { figures: { linesStockApplied: 3, linesUnlinked: 1 } } } });
    expect([await stockOf('SKU-0001'), await stockOf('SKU-0002'), await stockOf('LOCAL-ONLY')]).toEqual([3, 4, 3]);
    const lines = await world.prisma.orderLine.findMany({ where: { userId: shop.userId }, orderBy: { externalLineId: 'asc' } });
    expect(lines.map((line) => [line.externalLineId, line.productId !== null, line.stockAppliedAt !== null])).toEqual([
      ['o-1-1', true, true],
      ['o-1-2', true, true],
      ['o-1-3', false, false],
      ['o-2-1', true, true],
      ['o-3-1', true, false],
    ]);
    const stamped = await world.prisma.product.findFirstOrThrow({ where: { userId: shop.userId, sku: 'SKU-0001' } });
    expect(stamped.fieldUpdatedAt).toMatchObject({ stock: expect.any(String) });

    // Re-pull, incremental then complete: nothing new, stock untouched.
    world.writes.reset();
    const again = await shop.sync('orders', 'pull');
    const complete = await shop.sync('orders', 'pull', { connector: { capabilities: { incrementalOrders: false } } });
    expect(again.job).toMatchObject({ createdCount: 0, updatedCount: 0 });
    expect(complete.job).toMatchObject({ createdCount: 0, updatedCount: 0, unchangedCount: 3 });
    expect(world.writes.statements).toEqual([]);
    expect([await stockOf('SKU-0001'), await stockOf('SKU-0002'), await stockOf('LOCAL-ONLY')]).toEqual([3, 4, 3]);

    // An update (shipped) is applied, again without touching stock; a new order takes its stock.
    shop.fake.store.updateOrder('o-2', { status: 'shipped' }, new Date());
    order('o-4', [{ product: remote[2], quantity: 5 }], 'paid', 0);
    const later = await shop.sync('orders', 'pull');
    expect(later.job).toMatchObject({ createdCount: 1, updatedCount: 1 });
    expect(await world.prisma.order.findFirstOrThrow({ where: { integrationId: shop.integrationId, externalId: 'o-2' } })).toMatchObject({ status: 'shipped' });
    expect([await stockOf('SKU-0002'), await stockOf('SKU-0003')]).toEqual([4, 0]);
  });

  it('a crash inside a page commit applies that page, and its stock, exactly once on resume', async () => {
    await shopWithCatalog();
    await world.prisma.product.updateMany({ where: { userId: shop.userId, sku: 'SKU-0001' }, data: { stock: 100 } });
    for (let index = 1; index <= 5; index++) order(`o-${index}`, [{ product: remote[0], quantity: 1 }], 'paid', 60 - index);

    const run = await shop.sync('orders', 'pull', { crashes: [{ insideCommit: 2 }, { afterCommit: 1 }] });

    expect(run.crashes).toHaveLength(2);
    expect(run.job).toMatchObject({ createdCount: 5 });
    expect(await world.prisma.order.count({ where: { integrationId: shop.integrationId } })).toBe(5);
    expect(await stockOf('SKU-0001')).toBe(95);
  });
});
