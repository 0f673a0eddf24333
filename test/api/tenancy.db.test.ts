import { print } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubYoga } from '../../src/server/yoga.ts';
import {
  CancelSyncJobDocument,
  DeleteProductDocument,
  DisconnectMarketplaceDocument,
  EventLogAddedDocument,
  EventLogsDocument,
  IntegrationDocument,
  IntegrationsDocument,
  IntegrationUpdatedDocument,
  LinkProductDocument,
  NodeByIdDocument,
  OrdersDocument,
  ProductDocument,
  ProductMappingsDocument,
  ProductsDocument,
  ResolveConflictDocument,
  RetrySyncJobDocument,
  StartSyncDocument,
  SyncConflictsDocument,
  SyncJobDocument,
  SyncJobsDocument,
  SyncJobUpdatedDocument,
  UnlinkProductDocument,
  UpdateIntegrationDocument,
  UpdateProductDocument,
} from '../generated/graphql/graphql.ts';
import { graphqlClient, wsClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { gid, seedIntegration, seedProduct } from '../helpers/seed.ts';

let t: TestHub;
let alice: Awaited<ReturnType<TestHub['newUser']>>;
let mallory: Awaited<ReturnType<TestHub['newUser']>>;
let asMallory: ReturnType<typeof graphqlClient>;
/** Alice's objects, as global ids. */
const ids = {} as Record<'integration' | 'job' | 'product' | 'mapping' | 'conflict', string>;

beforeAll(async () => {
  t = await startTestHub();
  alice = await t.newUser('alice@example.com');
  mallory = await t.newUser('mallory@example.com');
  asMallory = graphqlClient(t.baseUrl, mallory.authorization);
  const prisma = t.hub.database.prisma;
  const integration = await seedIntegration(prisma, alice.userId);
  const product = await seedProduct(prisma, alice.userId, 'ALICE-1');
  const job = await prisma.marketplaceSyncJob.create({
    data: { userId: alice.userId, integrationId: integration.id, type: 'products', direction: 'pull', trigger: 'manual', status: 'failed' },
  });
  const mapping = await prisma.marketplaceProductMapping.create({
    data: { userId: alice.userId, integrationId: integration.id, productId: product.id, externalId: 'a-1' },
  });
  const conflict = await prisma.syncConflict.create({
    data: { userId: alice.userId, integrationId: integration.id, productId: product.id, field: 'title', localValue: 'a', remoteValue: 'b' },
  });
  await prisma.marketplaceEventLog.create({
    data: { userId: alice.userId, integrationId: integration.id, type: 'sync_failed', source: 'worker', message: "alice's" },
  });
  await prisma.order.create({
    data: { userId: alice.userId, integrationId: integration.id, externalId: 'O-1', status: 'paid', currency: 'EUR', totalAmount: '1', placedAt: new Date() },
  });
  Object.assign(ids, {
    integration: gid.integration(integration.id),
    job: gid.job(job.id),
    product: gid.product(product.id),
    mapping: gid.mapping(mapping.id),
    conflict: gid.conflict(conflict.id),
  });
});
afterAll(async () => {
  await t?.stop();
});

describe("another user's objects", () => {
  it('are absent from every list', async () => {
    const lists = await Promise.all([
      asMallory.data(IntegrationsDocument, {}),
      asMallory.data(SyncJobsDocument, {}),
      asMallory.data(EventLogsDocument, {}),
      asMallory.data(ProductsDocument, {}),
      asMallory.data(ProductMappingsDocument, {}),
      asMallory.data(OrdersDocument, {}),
      asMallory.data(SyncConflictsDocument, {}),
    ]);
    for (const list of lists) {
      const connection = Object.values(list)[0] as { edges: unknown[] };
      expect(connection.edges).toEqual([]);
    }
  });

  it('behave exactly like missing ones on every query and mutation: NOT_FOUND', async () => {
    const attempts = [
      () => asMallory.errorCode(IntegrationDocument, { id: ids.integration }),
      () => asMallory.errorCode(SyncJobDocument, { id: ids.job }),
      () => asMallory.errorCode(ProductDocument, { id: ids.product }),
      () => asMallory.errorCode(UpdateIntegrationDocument, { id: ids.integration, settings: { name: 'mine' } }),
      () => asMallory.errorCode(DisconnectMarketplaceDocument, { id: ids.integration }),
      () => asMallory.errorCode(StartSyncDocument, { integrationId: ids.integration, type: 'full' }),
      () => asMallory.errorCode(CancelSyncJobDocument, { id: ids.job }),
      () => asMallory.errorCode(RetrySyncJobDocument, { id: ids.job }),
      () => asMallory.errorCode(UpdateProductDocument, { id: ids.product, input: { title: 'mine' } }),
      () => asMallory.errorCode(DeleteProductDocument, { id: ids.product }),
      () => asMallory.errorCode(LinkProductDocument, { integrationId: ids.integration, productId: ids.product, externalId: 'x' }),
      () => asMallory.errorCode(UnlinkProductDocument, { id: ids.mapping }),
      () => asMallory.errorCode(ResolveConflictDocument, { id: ids.conflict, choice: 'remote' }),
    ];
    for (const attempt of attempts) expect(await attempt()).toBe('NOT_FOUND');
    // And the answer is the same as for an id that never existed.
    const missing = await asMallory.call(IntegrationDocument, { id: gid.integration(crypto.randomUUID()) });
    const foreign = await asMallory.call(IntegrationDocument, { id: ids.integration });
    expect(foreign.body).toEqual(missing.body);
    // The node interface does not leak them either.
    expect((await asMallory.data(NodeByIdDocument, { id: ids.integration })).node).toBeNull();
  });

  it('are not changed by those attempts', async () => {
    const prisma = t.hub.database.prisma;
    const integration = await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: gid.local(ids.integration) } });
    expect(integration).toMatchObject({ status: 'connected', displayName: 'manomano shop' });
    expect(await prisma.marketplaceSyncJob.count({ where: { userId: alice.userId } })).toBe(1);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: gid.local(ids.product) } })).title).toBe('Product ALICE-1');
    expect(await prisma.marketplaceProductMapping.count({ where: { id: gid.local(ids.mapping) } })).toBe(1);
    expect((await prisma.syncConflict.findUniqueOrThrow({ where: { id: gid.local(ids.conflict) } })).status).toBe('open');
  });

  it('cannot be subscribed to, and their events never reach another user', async () => {
    for (const [document, variables] of [
      [SyncJobUpdatedDocument, { jobId: ids.job }],
      [SyncJobUpdatedDocument, { integrationId: ids.integration }],
      [IntegrationUpdatedDocument, { id: ids.integration }],
      [EventLogAddedDocument, { integrationId: ids.integration }],
    ] as const) {
      const client = wsClient(t.baseUrl, mallory.authorization);
      const outcome = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: print(document), variables },
          { next: (value) => resolve(value), error: (errors) => resolve({ errors }), complete: () => resolve('complete') },
        );
      });
      await client.dispose();
      expect((outcome as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('NOT_FOUND');
    }

    const client = wsClient(t.baseUrl, mallory.authorization);
    const leaked: unknown[] = [];
    const unsubscribe = client.subscribe(
      { query: print(EventLogAddedDocument), variables: {} },
      { next: (value) => leaked.push(value), error: () => undefined, complete: () => undefined },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const asAlice = graphqlClient(t.baseUrl, alice.authorization);
    await asAlice.data(UpdateIntegrationDocument, { id: ids.integration, settings: { name: 'renamed by alice' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    unsubscribe();
    await client.dispose();
    expect(leaked).toEqual([]);
  });
});

describe("a request's database handle", () => {
  it('sees only the caller rows even through a deliberately unscoped query', async () => {
    const yoga = createHubYoga(t.hub);
    const request = { headers: { authorization: mallory.authorization } } as IncomingMessage;
    const context = await yoga.getEnveloped({ req: request, request: new Request('http://hub/graphql') }).contextFactory();
    const { db } = context;
    await seedProduct(t.hub.database.prisma, mallory.userId, 'MALLORY-1');
    const rows = await db.$queryRawUnsafe<{ sku: string; user_id: string }[]>('SELECT sku, user_id FROM products');
    expect(rows).toEqual([{ sku: 'MALLORY-1', user_id: mallory.userId }]);
    expect(await db.marketplaceIntegration.count()).toBe(0);
    expect(await db.syncConflict.findMany()).toEqual([]);
    expect(await t.hub.database.prisma.product.count()).toBeGreaterThan(1);
  });
});
