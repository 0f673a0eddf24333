import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connectors/http/connector-error.ts';
import { createPlatformConnector, type PlatformConnectorOptions } from '../fakes/platform/connector.ts';
import { startPlatformFake, type PlatformFake, type PlatformFakeOptions } from '../fakes/platform/server.ts';
import { productFields, seedRemoteCatalog } from './harness.ts';

let fake: PlatformFake;

afterEach(async () => {
  await fake?.close();
});

async function start(options: PlatformFakeOptions = {}, connector: Partial<PlatformConnectorOptions> = {}) {
  fake = await startPlatformFake(options);
  return createPlatformConnector({
    baseUrl: fake.url,
    token: fake.token,
    limits: { productPageSize: fake.options.maxPageSize, orderPageSize: fake.options.maxPageSize, writeBatchSize: fake.options.maxBatchSize },
    http: { backoffBaseMs: 1, backoffCapMs: 2000 },
    ...connector,
  });
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('the fake platform through its connector', () => {
  it('rejects a wrong bearer token with 401 (invalid credentials)', async () => {
    await start({ token: 'right' }, { token: 'wrong' });
    expect((await failure(createPlatformConnector({ baseUrl: fake.url, token: 'wrong' }).listProducts({ cursor: null, since: null }))).kind).toBe('INVALID_CREDENTIALS');
  });

  it('pages with a cursor up to the page maximum, and filters by updated_since', async () => {
    const connector = await start({ maxPageSize: 10 });
    const products = seedRemoteCatalog(fake, 25);
    const pages = [];
    for (let cursor = null as unknown; ; ) {
      const page = await connector.listProducts({ cursor: cursor as null, since: null });
      pages.push(page);
      if (page.next === null) break;
      cursor = page.next;
    }
    expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
    expect(pages[0]!.total).toBe(25);
    expect(pages.flatMap((page) => page.items.map((item) => item.externalId))).toEqual(products.map((product) => product.id));

    fake.store.updateProduct(products[20]!.id, { title: 'Fresh' }, new Date(Date.now() + 60_000));
    const changed = await connector.listProducts({ cursor: null, since: new Date(Date.now() + 30_000) });
    expect(changed.items.map((item) => item.title)).toEqual(['Fresh']);
    expect(changed.next).toBeNull();

    const tooBig = createPlatformConnector({ baseUrl: fake.url, token: fake.token, limits: { productPageSize: 11 } });
    expect((await failure(tooBig.listProducts({ cursor: null, since: null }))).status).toBe(400);
  });

  it('refuses an oversized batch with 400 and an error body', async () => {
    const connector = await start({ maxBatchSize: 2 });
    const error = await failure(connector.createProducts([productFields('A'), productFields('B'), productFields('C')]));
    expect(error).toMatchObject({ kind: 'VALIDATION', status: 400 });
    expect(error.message).toMatch(/At most 2 items per batch/);
    expect(fake.store.productCount).toBe(0);
  });

  it('answers a batch per item: one rejected product does not fail the others', async () => {
    const connector = await start();
    fake.knobs.rejectSkus = new Map([['B', 'Missing EAN']]);
    const results = await connector.createProducts([productFields('A'), productFields('B')]);
    expect(results).toEqual([
      { sku: 'A', ok: true, externalId: expect.any(String) },
      { sku: 'B', ok: false, error: 'Missing EAN' },
    ]);
    const stock = await connector.updateStock([{ externalId: (results[0] as { externalId: string }).externalId, sku: 'A', stock: 9, price: '4.5' }]);
    expect(stock).toEqual([{ sku: 'A', ok: true, externalId: expect.any(String) }]);
    expect(fake.store.productsBySku(['A'])[0]).toMatchObject({ stock: 9, price: '4.5' });
    expect(fake.store.writes.map((write) => write.kind)).toEqual(['create', 'stock']);
  });

  it('retries reads and absolute updates on 5xx, never a create', async () => {
    const connector = await start();
    fake.knobs.serverErrors = { count: 2 };
    expect((await connector.listProducts({ cursor: null, since: null })).items).toEqual([]);
    expect(fake.callsTo('GET /v1/products')).toBe(3);

    fake.knobs.serverErrors = { count: 1 };
    expect((await failure(connector.createProducts([productFields('A')]))).status).toBe(503);
    expect(fake.callsTo('POST /v1/products/batch')).toBe(1);
  });

  it('can apply a write and drop the connection (the lost response); the product is then found by SKU', async () => {
    const connector = await start();
    fake.knobs.dropAfterWrite = 1;
    expect((await failure(connector.createProducts([productFields('LOST-1')]))).kind).toBe('PLATFORM_UNAVAILABLE');
    expect(fake.store.productCount).toBe(1);
    const found = await connector.findProductsBySku(['LOST-1', 'NOPE']);
    expect(found.map((product) => product.sku)).toEqual(['LOST-1']);
  });

  it('limits requests with a token bucket (429 + Retry-After); a paced connector stays under it', async () => {
    const unpaced = await start({ rateLimit: { capacity: 2, perSecond: 10 } });
    await unpaced.listProducts({ cursor: null, since: null });
    await unpaced.listProducts({ cursor: null, since: null });
    const limited = await failure(unpaced.listProducts({ cursor: null, since: null }));
    expect(limited).toMatchObject({ kind: 'RATE_LIMITED', status: 429, retryAfterSeconds: 1 });
    await fake.close();

    const paced = await start({ rateLimit: { capacity: 2, perSecond: 10 } }, { requestsPerSecond: 10 });
    const started = performance.now();
    for (let request = 0; request < 6; request++) await paced.listProducts({ cursor: null, since: null });
    expect(fake.log.every((entry) => entry.status === 200)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('lists orders changed since a time with offset pagination, and reads one', async () => {
    const connector = await start({ maxPageSize: 2 });
    for (const [index, minutes] of [30, 20, 10].entries()) {
      fake.store.createOrder(
        { id: `o-${index}`, status: 'paid', currency: 'EUR', subtotal: null, shipping: null, total: '5', buyer: null, shipping_country: null, placed_at: new Date().toISOString(), lines: [] },
        new Date(Date.now() - minutes * 60_000),
      );
    }
    const first = await connector.listOrders({ cursor: null, since: null });
    expect([first.items.map((order) => order.externalId), first.next]).toEqual([['o-0', 'o-1'], 2]);
    const second = await connector.listOrders({ cursor: first.next, since: null });
    expect([second.items.map((order) => order.externalId), second.next]).toEqual([['o-2'], null]);
    const recent = await connector.listOrders({ cursor: null, since: new Date(Date.now() - 15 * 60_000) });
    expect(recent.items.map((order) => order.externalId)).toEqual(['o-2']);
    expect(await connector.getOrder('o-1')).toMatchObject({ externalId: 'o-1', totalAmount: '5' });
    expect(await connector.getOrder('missing')).toBeNull();
  });
});
