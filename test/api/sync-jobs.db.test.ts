import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelSyncJobDocument,
  EventLogsDocument,
  RetrySyncJobDocument,
  StartSyncDocument,
  SyncJobDocument,
  SyncJobsDocument,
  SyncJobUpdatedDocument,
} from '../generated/graphql/graphql.ts';
import { graphqlClient, wsClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { gid, seedIntegration } from '../helpers/seed.ts';

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

async function newIntegration(status: 'connected' | 'disconnected' = 'connected') {
  const integration = await seedIntegration(t.hub.database.prisma, user.userId, { status });
  return gid.integration(integration.id);
}

describe('startSync', () => {
  it('queues a job with the given type and the integration direction, and logs it', async () => {
    const integrationId = await newIntegration();
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId, type: 'products' });
    expect(job).toMatchObject({ type: 'products', direction: 'bidirectional', trigger: 'manual', status: 'queued', attempt: 0 });
    expect(job.progress).toEqual({ phase: null, processed: 0, total: null, percent: null });
    expect(job.integration.id).toBe(integrationId);
    const { eventLogs } = await api.data(EventLogsDocument, { integrationId, types: ['sync_queued'] });
    expect(eventLogs.edges.map((e) => [e.node.source, e.node.syncJob?.id])).toEqual([['api', job.id]]);
  });

  it('returns the already queued job when asked twice for the same sync', async () => {
    const integrationId = await newIntegration();
    const first = await api.data(StartSyncDocument, { integrationId, type: 'orders', direction: 'pull' });
    const second = await api.data(StartSyncDocument, { integrationId, type: 'orders', direction: 'pull' });
    expect(second.startSync.id).toBe(first.startSync.id);
    const other = await api.data(StartSyncDocument, { integrationId, type: 'orders', direction: 'push' });
    expect(other.startSync.id).not.toBe(first.startSync.id);
  });

  it('refuses a disconnected integration (CONFLICT), a malformed id (BAD_USER_INPUT), an unknown one (NOT_FOUND)', async () => {
    expect(await api.errorCode(StartSyncDocument, { integrationId: await newIntegration('disconnected'), type: 'full' })).toBe('CONFLICT');
    expect(await api.errorCode(StartSyncDocument, { integrationId: 'not-an-id', type: 'full' })).toBe('BAD_USER_INPUT');
    expect(await api.errorCode(StartSyncDocument, { integrationId: gid.job(crypto.randomUUID()), type: 'full' })).toBe('BAD_USER_INPUT');
    expect(await api.errorCode(StartSyncDocument, { integrationId: gid.integration(crypto.randomUUID()), type: 'full' })).toBe('NOT_FOUND');
  });
});

describe('cancelSyncJob and retrySyncJob', () => {
  it('cancels a queued job at once and refuses to cancel it twice', async () => {
    const integrationId = await newIntegration();
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId, type: 'inventory' });
    const { cancelSyncJob: cancelled } = await api.data(CancelSyncJobDocument, { id: job.id });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelRequested: true });
    expect(await api.errorCode(CancelSyncJobDocument, { id: job.id })).toBe('CONFLICT');
  });

  it('asks a running job to stop at its next checkpoint', async () => {
    const integrationId = await newIntegration();
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId, type: 'full' });
    await t.hub.database.prisma.marketplaceSyncJob.update({ where: { id: gid.local(job.id) }, data: { status: 'running' } });
    const { cancelSyncJob: stopping } = await api.data(CancelSyncJobDocument, { id: job.id });
    expect(stopping).toMatchObject({ status: 'running', cancelRequested: true });
  });

  it('retries a failed job as a new job linked to it, and refuses to retry a queued one', async () => {
    const integrationId = await newIntegration();
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId, type: 'products', direction: 'pull' });
    expect(await api.errorCode(RetrySyncJobDocument, { id: job.id })).toBe('CONFLICT');
    await t.hub.database.prisma.marketplaceSyncJob.update({
      where: { id: gid.local(job.id) },
      data: { status: 'failed', error: { message: 'marketplace down' } },
    });
    const { retrySyncJob: retry } = await api.data(RetrySyncJobDocument, { id: job.id });
    expect(retry).toMatchObject({ type: 'products', direction: 'pull', trigger: 'retry', status: 'queued', retryOf: { id: job.id } });
  });
});

describe('syncJobs and syncJob', () => {
  it('lists newest first, filters by status, pages with a capped size', async () => {
    const integrationId = await newIntegration();
    const ids: string[] = [];
    for (const type of ['products', 'orders', 'inventory'] as const) {
      ids.push((await api.data(StartSyncDocument, { integrationId, type })).startSync.id);
    }
    const page = await api.data(SyncJobsDocument, { integrationId, first: 2 });
    expect(page.syncJobs.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);
    expect(page.syncJobs.pageInfo.hasNextPage).toBe(true);
    const next = await api.data(SyncJobsDocument, { integrationId, first: 2, after: page.syncJobs.pageInfo.endCursor });
    expect(next.syncJobs.edges.map((e) => e.node.id)).toEqual([ids[0]]);
    await api.data(CancelSyncJobDocument, { id: ids[1]! });
    const cancelled = await api.data(SyncJobsDocument, { integrationId, status: 'cancelled' });
    expect(cancelled.syncJobs.edges.map((e) => e.node.id)).toEqual([ids[1]]);
    const tooMany = await api.call(SyncJobsDocument, { first: 1000 });
    expect(tooMany.body.errors).toBeUndefined();
  });

  it('reads one job by id; an unknown id is NOT_FOUND', async () => {
    const integrationId = await newIntegration();
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId, type: 'orders' });
    expect((await api.data(SyncJobDocument, { id: job.id })).syncJob.id).toBe(job.id);
    expect(await api.errorCode(SyncJobDocument, { id: gid.job(crypto.randomUUID()) })).toBe('NOT_FOUND');
  });
});

describe('syncJobUpdated', () => {
  it('streams the current state, each progress update, then the final state, and completes', async () => {
    const integrationId = await newIntegration();
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId, type: 'products' });
    const jobId = gid.local(job.id);
    const client = wsClient(t.baseUrl, user.authorization);
    const received: { status: string; progress: { processed: number; percent: number | null } }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: print(SyncJobUpdatedDocument), variables: { jobId: job.id } },
        {
          next: (result) => {
            if (result.errors) reject(new Error(JSON.stringify(result.errors)));
            received.push((result.data as { syncJobUpdated: (typeof received)[number] }).syncJobUpdated);
          },
          error: reject,
          complete: resolve,
        },
      );
    });
    await waitFor(() => received.length === 1);
    const prisma = t.hub.database.prisma;
    for (const processed of [25, 50, 100]) {
      const row = await prisma.marketplaceSyncJob.update({
        where: { id: jobId },
        data: { status: 'running', phase: 'products', processed, total: 100 },
      });
      t.hub.publisher.syncJobUpdated(row);
      await waitFor(() => received.length >= 1 + [25, 50, 100].indexOf(processed) + 1);
    }
    const final = await prisma.marketplaceSyncJob.update({ where: { id: jobId }, data: { status: 'succeeded' } });
    t.hub.publisher.syncJobUpdated(final);
    await done;
    await client.dispose();
    expect(received.map((r) => [r.status, r.progress.processed, r.progress.percent])).toEqual([
      ['queued', 0, null],
      ['running', 25, 25],
      ['running', 50, 50],
      ['running', 100, 100],
      ['succeeded', 100, 100],
    ]);
  });

  it("delivers an ended job's final state at once and completes", async () => {
    const integrationId = await newIntegration();
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId, type: 'orders' });
    await api.data(CancelSyncJobDocument, { id: job.id });
    const results = await collect(SyncJobUpdatedDocument, { jobId: job.id });
    expect(results).toEqual([{ data: { syncJobUpdated: expect.objectContaining({ id: job.id, status: 'cancelled' }) } }]);
  });

  it('refuses a request naming both or neither of jobId and integrationId', async () => {
    const [both] = await collect(SyncJobUpdatedDocument, { jobId: gid.job(crypto.randomUUID()), integrationId: await newIntegration() });
    expect(both?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const [neither] = await collect(SyncJobUpdatedDocument, {});
    expect(neither?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("streams every update of an integration's jobs, starting with the active ones", async () => {
    const integrationId = await newIntegration();
    const { startSync: queued } = await api.data(StartSyncDocument, { integrationId, type: 'orders' });
    const client = wsClient(t.baseUrl, user.authorization);
    const seen: { id: string; status: string }[] = [];
    const unsubscribe = client.subscribe(
      { query: print(SyncJobUpdatedDocument), variables: { integrationId } },
      { next: (r) => seen.push((r.data as { syncJobUpdated: { id: string; status: string } }).syncJobUpdated), error: () => undefined, complete: () => undefined },
    );
    await waitFor(() => seen.length === 1);
    const { startSync: second } = await api.data(StartSyncDocument, { integrationId, type: 'products' });
    await waitFor(() => seen.length === 2);
    unsubscribe();
    await client.dispose();
    expect(seen.map((s) => [s.id, s.status])).toEqual([
      [queued.id, 'queued'],
      [second.id, 'queued'],
    ]);
  });
});

async function collect<Variables>(document: typeof SyncJobUpdatedDocument, variables: Variables) {
  const client = wsClient(t.baseUrl, user.authorization);
  const results: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] }[] = [];
  await new Promise<void>((resolve) => {
    client.subscribe(
      { query: print(document), variables: variables as Record<string, unknown> },
      {
        next: (r) => results.push(r as (typeof results)[number]),
        error: (errors) => {
          results.push({ errors: errors as (typeof results)[number]['errors'] });
          resolve();
        },
        complete: resolve,
      },
    );
  });
  await client.dispose();
  return results;
}

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
