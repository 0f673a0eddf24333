import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConnectorError } from '../../src/connectors/http/connector-error.ts';
import { AppError } from '../../src/errors.ts';
import { createEventPublisher, type EventPublisher } from '../../src/events/publisher.ts';
import type { MarketplaceSyncJob, PrismaClient } from '../../src/generated/prisma/client.ts';
import type { Hub } from '../../src/hub.ts';
import { createLogger } from '../../src/logger.ts';
import { generateKey, parseKeyRing } from '../../src/secrets/key-ring.ts';
import type { JobHandler } from '../../src/sync/job-context.ts';
import { cancelSyncJob } from '../../src/sync/jobs.ts';
import { createConnectorOpener } from '../../src/sync/open-connector.ts';
import { createSyncWorker, type SyncWorker, type SyncWorkerOptions } from '../../src/sync/worker.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  isEnded,
  newTracker,
  openStubConnector,
  pagedHandler,
  rowsPerPage,
  seedJob,
  seedSyncIntegration,
  seedUser,
  waitFor,
  waitForJob,
} from '../helpers/sync.ts';

let db: TestDatabase;
let prisma: PrismaClient;
let publisher: EventPublisher;
let userId: string;
const logger = createLogger('silent');
let workers: SyncWorker[] = [];
let workerCounter = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.database.prisma;
  publisher = createEventPublisher();
  userId = (await seedUser(prisma)).id;
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.stop(2000)));
  workers = [];
  // Leave nothing runnable for the next test's workers.
  await prisma.marketplaceSyncJob.updateMany({ where: { status: { in: ['queued', 'running'] } }, data: { status: 'cancelled' } });
});

afterAll(async () => {
  await publisher?.close();
  await db?.drop();
});

function startWorker(handler: JobHandler, options: Partial<SyncWorkerOptions> = {}): SyncWorker {
  const worker = createSyncWorker({
    prisma,
    publisher,
    logger,
    workerId: `test-worker-${++workerCounter}`,
    concurrency: 2,
    leaseMs: 5000,
    pollMs: 50,
    handler,
    openConnector: openStubConnector,
    retryPolicy: { baseMs: 20, capMs: 80 },
    ...options,
  });
  worker.start();
  workers.push(worker);
  return worker;
}

async function newIntegration(data: Parameters<typeof seedSyncIntegration>[2] = {}) {
  return seedSyncIntegration(prisma, userId, data);
}

function eventsOf(syncJobId: string) {
  return prisma.marketplaceEventLog.findMany({ where: { syncJobId }, orderBy: { createdAt: 'asc' } });
}

const succeeded = (job: MarketplaceSyncJob) => job.status === 'succeeded';

/** Everything the publisher sends, in order, recorded when sent. */
function recordPublished() {
  const sent: { at: number; kind: 'job' | 'integration' | 'event'; value: { id: string } & Record<string, unknown> }[] = [];
  const original = { ...publisher };
  publisher.syncJobUpdated = (job) => {
    sent.push({ at: performance.now(), kind: 'job', value: job });
    original.syncJobUpdated(job);
  };
  publisher.integrationUpdated = (integration) => {
    sent.push({ at: performance.now(), kind: 'integration', value: integration });
    original.integrationUpdated(integration);
  };
  publisher.eventLogAdded = (event) => {
    sent.push({ at: performance.now(), kind: 'event', value: event });
    original.eventLogAdded(event);
  };
  return {
    sent,
    restore: () => Object.assign(publisher, original),
  };
}

describe('claiming and completing', () => {
  it('runs a job to the end: job, integration statistics, cursors, next sync and events, published after commit', async () => {
    const integration = await newIntegration({ autoSyncEnabled: true, syncFrequencyMinutes: 30, cursors: { orders: { since: 'x' } } });
    await prisma.marketplaceIntegration.update({ where: { id: integration.id }, data: { totalProductsSynced: 10, totalSyncCount: 3 } });
    const queued = await seedJob(prisma, integration);
    const published = recordPublished();
    try {
      const worker = startWorker(pagedHandler({ pages: 3, itemsPerPage: 2, outcome: { ordersSynced: 4 } }));
      const job = await waitForJob(prisma, queued.id, isEnded);
      await sleep(150); // the final publication may wait out the throttle interval

      expect(job).toMatchObject({
        status: 'succeeded',
        attempt: 1,
        phase: 'products',
        processed: 6,
        total: 6,
        createdCount: 6,
        checkpoint: { page: 3 },
        results: { pages: 3 },
        error: null,
        lockedBy: worker.workerId,
        leaseExpiresAt: null,
      });
      expect(job.startedAt).not.toBeNull();
      expect(job.completedAt!.getTime()).toBeGreaterThanOrEqual(job.startedAt!.getTime());
      expect(job.durationMs).toBe(job.completedAt!.getTime() - job.startedAt!.getTime());

      const after = await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: integration.id } });
      expect(after).toMatchObject({
        status: 'connected',
        totalProductsSynced: 16,
        totalOrdersSynced: 4,
        totalSyncCount: 4,
        failedSyncCount: 0,
        cursors: { orders: { since: 'x' }, products: { page: 3 } },
      });
      expect(after.lastSyncAt!.getTime()).toBe(job.completedAt!.getTime());
      // The start of the next 30-minute slot (epoch-aligned, as the scheduler's).
      const slotMs = 30 * 60_000;
      expect(after.nextSyncAt!.getTime()).toBe(Math.floor(job.completedAt!.getTime() / slotMs) * slotMs + slotMs);

      const events = await eventsOf(job.id);
      expect(events.map((e) => [e.type, e.source, e.severity])).toEqual([
        ['sync_started', 'worker', 'info'],
        ['sync_completed', 'worker', 'info'],
      ]);
      expect(events[1]!.data).toMatchObject({
        counts: { created: 6, updated: 0, unchanged: 0, skipped: 0, failed: 0 },
        durationMs: job.durationMs,
        productsSynced: 6,
        ordersSynced: 4,
      });
      expect(await rowsPerPage(prisma, job.id)).toEqual(new Map([[1, 2], [2, 2], [3, 2]]));

      const mine = published.sent.filter((s) => s.value.id === job.id || s.value.id === integration.id || s.value.syncJobId === job.id);
      const jobUpdates = mine.filter((s) => s.kind === 'job').map((s) => s.value as unknown as MarketplaceSyncJob);
      expect(jobUpdates[0]!.status).toBe('running');
      expect(jobUpdates.at(-1)).toMatchObject({ status: 'succeeded', processed: 6 });
      expect(mine.filter((s) => s.kind === 'event').map((s) => s.value.type)).toEqual(['sync_started', 'sync_completed']);
      expect(mine.filter((s) => s.kind === 'integration').map((s) => s.value.status)).toEqual(['syncing', 'connected']);
    } finally {
      published.restore();
    }
  });

  it('ends partially succeeded with a warning when items failed or the handler warned', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    startWorker(pagedHandler({ pages: 1, outcome: { itemFailures: 2, warnings: ['deletion guard tripped'] } }));
    const job = await waitForJob(prisma, queued.id, isEnded);
    expect(job.status).toBe('partially_succeeded');
    const completed = (await eventsOf(job.id)).find((e) => e.type === 'sync_completed')!;
    expect(completed.severity).toBe('warning');
    expect(completed.message).toMatch(/partially succeeded.*2 item\(s\) failed; deletion guard tripped/);
    expect((await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: integration.id } })).status).toBe('connected');
  });

  it('records nothing of the ending when the lease was taken over: statistics and events stay untouched', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    let stolen = false;
    startWorker(
      pagedHandler({
        pages: 2,
        afterPage: async (ctx, page) => {
          if (page !== 2) return;
          // Another worker claims the job between the last checkpoint and the completion.
          await prisma.marketplaceSyncJob.update({ where: { id: ctx.job.id }, data: { lockedBy: 'thief', attempt: { increment: 1 } } });
          stolen = true;
        },
      }),
    );
    await waitFor(async () => stolen);
    await sleep(300);
    const job = await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: queued.id } });
    expect(job).toMatchObject({ status: 'running', lockedBy: 'thief', completedAt: null });
    expect((await eventsOf(job.id)).map((e) => e.type)).toEqual(['sync_started']);
    expect(await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: integration.id } })).toMatchObject({ totalSyncCount: 0, lastSyncAt: null });
  });

  it('never claims a job cancelled while queued', async () => {
    const integration = await newIntegration();
    const cancelled = await seedJob(prisma, integration, { status: 'cancelled' });
    const tracker = newTracker();
    startWorker(pagedHandler({ pages: 1 }, tracker));
    await sleep(300);
    expect(tracker.starts.size).toBe(0);
    expect((await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: cancelled.id } })).status).toBe('cancelled');
  });
});

describe('concurrency', () => {
  it('runs one job per integration at a time; jobs of other integrations run alongside', async () => {
    const busy = await newIntegration();
    const other = await newIntegration();
    const jobs = [await seedJob(prisma, busy), await seedJob(prisma, busy), await seedJob(prisma, busy), await seedJob(prisma, other)];
    const tracker = newTracker();
    startWorker(pagedHandler({ pages: 2, pageDelayMs: 60 }, tracker), { concurrency: 3 });
    for (const job of jobs) await waitForJob(prisma, job.id, succeeded);
    expect(tracker.maxRunningPerIntegration).toBe(1);
    expect(tracker.maxRunning).toBe(2);
    // The integration's jobs ran one after the other, in queue order.
    const ran = await prisma.marketplaceSyncJob.findMany({ where: { integrationId: busy.id }, orderBy: { createdAt: 'asc' } });
    for (let i = 1; i < ran.length; i++) expect(ran[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(ran[i - 1]!.completedAt!.getTime());
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const jobs = [];
    for (let i = 0; i < 5; i++) jobs.push(await seedJob(prisma, await newIntegration()));
    const tracker = newTracker();
    startWorker(pagedHandler({ pages: 2, pageDelayMs: 80 }, tracker), { concurrency: 2 });
    for (const job of jobs) await waitForJob(prisma, job.id, succeeded);
    expect(tracker.maxRunning).toBe(2);
  });

  it('two workers on one database never run the same job', async () => {
    const jobs = [];
    for (let i = 0; i < 8; i++) jobs.push(await seedJob(prisma, await newIntegration()));
    const tracker = newTracker();
    const handler = pagedHandler({ pages: 2, pageDelayMs: 30 }, tracker);
    startWorker(handler, { concurrency: 3 });
    startWorker(handler, { concurrency: 3 });
    for (const job of jobs) {
      const done = await waitForJob(prisma, job.id, isEnded);
      expect(done).toMatchObject({ status: 'succeeded', attempt: 1, createdCount: 4 });
      expect(tracker.starts.get(job.id)).toBe(1);
      expect(await rowsPerPage(prisma, job.id)).toEqual(new Map([[1, 2], [2, 2]]));
      expect((await eventsOf(job.id)).filter((e) => e.type === 'sync_started')).toHaveLength(1);
    }
    expect(new Set(jobs.map((job) => tracker.starts.has(job.id))).size).toBe(1);
  });
});

describe('leases', () => {
  it('resumes a job whose worker died from its checkpoint once the lease lapses, not before', async () => {
    const integration = await newIntegration({ status: 'syncing' });
    const job = await seedJob(prisma, integration);
    // A dead worker's job: two pages committed, lease running out in a second.
    await prisma.$executeRaw`
      UPDATE marketplace_sync_jobs
         SET status = 'running', locked_by = 'dead-worker', attempt = 1, started_at = now(),
             lease_expires_at = now() + interval '1 second', checkpoint = '{"page": 2}', processed = 4, created_count = 4
       WHERE id = ${job.id}::uuid`;
    await prisma.product.createMany({
      data: [1, 2].flatMap((page) => [0, 1].map((i) => ({ userId, sku: `${job.id}:a1:p${page}:i${i}`, title: 't', price: '1', currency: 'EUR' }))),
    });
    const tracker = newTracker();
    const started = performance.now();
    startWorker(pagedHandler({ pages: 4 }, tracker));
    await sleep(500);
    expect(tracker.starts.size).toBe(0);
    const done = await waitForJob(prisma, job.id, isEnded);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(done).toMatchObject({ status: 'succeeded', attempt: 2, processed: 8, createdCount: 8 });
    expect(await rowsPerPage(prisma, job.id)).toEqual(new Map([[1, 2], [2, 2], [3, 2], [4, 2]]));
    const resumed = (await eventsOf(job.id)).find((e) => e.type === 'sync_started')!;
    expect(resumed.data).toMatchObject({ resumed: true, fromCheckpoint: true, previousWorker: 'dead-worker' });
  });

  it('ends, without running it, a dead worker\'s job that was cancelled or has used up its attempts', async () => {
    const cancelled = await seedJob(prisma, await newIntegration({ status: 'syncing' }));
    const exhausted = await seedJob(prisma, await newIntegration({ status: 'syncing' }), { maxAttempts: 2 });
    await prisma.$executeRaw`
      UPDATE marketplace_sync_jobs
         SET status = 'running', locked_by = 'dead-worker', attempt = 2, started_at = now(), lease_expires_at = now() - interval '1 second'
       WHERE id IN (${cancelled.id}::uuid, ${exhausted.id}::uuid)`;
    await prisma.marketplaceSyncJob.update({ where: { id: cancelled.id }, data: { cancelRequestedAt: new Date() } });
    const tracker = newTracker();
    startWorker(pagedHandler({ pages: 1 }, tracker));
    expect(await waitForJob(prisma, cancelled.id, isEnded)).toMatchObject({ status: 'cancelled', attempt: 3 });
    expect(await waitForJob(prisma, exhausted.id, isEnded)).toMatchObject({ status: 'failed', attempt: 3, error: { code: 'ATTEMPTS_EXHAUSTED' } });
    expect(tracker.starts.size).toBe(0);
  });

  it('stops a handler whose lease another worker took: its next commit rolls back and the job is left to the new owner', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    let aborted = false;
    startWorker(
      pagedHandler({
        pages: 20,
        pageDelayMs: 100,
        beforePage: (ctx) => {
          ctx.signal.addEventListener('abort', () => (aborted = true));
        },
      }),
      { leaseMs: 600 },
    );
    await waitForJob(prisma, queued.id, (job) => job.processed >= 2);
    await prisma.marketplaceSyncJob.update({ where: { id: queued.id }, data: { lockedBy: 'new-owner', attempt: { increment: 1 } } });
    await waitFor(async () => aborted, 3000, 'the handler to be aborted');
    await sleep(300);
    const job = await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: queued.id } });
    expect(job).toMatchObject({ status: 'running', lockedBy: 'new-owner' });
    expect(job.processed).toBeLessThan(40);
    expect((await rowsPerPage(prisma, job.id)).size).toBe(job.processed / 2);
  });

  it('renews the lease while a page takes longer than the lease', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    startWorker(pagedHandler({ pages: 1, pageDelayMs: 1500 }), { leaseMs: 600 });
    const running = await waitForJob(prisma, queued.id, (job) => job.status === 'running');
    await sleep(1000);
    const renewed = await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: queued.id } });
    expect(renewed.heartbeatAt!.getTime()).toBeGreaterThan(running.heartbeatAt!.getTime());
    expect(renewed.leaseExpiresAt!.getTime()).toBeGreaterThan(running.leaseExpiresAt!.getTime());
    expect((await waitForJob(prisma, queued.id, isEnded)).status).toBe('succeeded');
  });
});

describe('failures', () => {
  it('retries with capped, jittered backoff up to max_attempts, then fails and flags the integration', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration, { maxAttempts: 3 });
    startWorker(
      pagedHandler({
        pages: 3,
        beforePage: (_ctx, page) => {
          if (page === 2) throw new Error('marketplace exploded');
        },
      }),
      { retryPolicy: { baseMs: 50, capMs: 120 } },
    );
    const job = await waitForJob(prisma, queued.id, isEnded);
    expect(job).toMatchObject({ status: 'failed', attempt: 3, error: { code: 'INTERNAL', message: 'marketplace exploded' } });
    // Each attempt resumed at the checkpoint: page 1 was written once.
    expect(await rowsPerPage(prisma, job.id)).toEqual(new Map([[1, 2]]));

    const events = await eventsOf(job.id);
    expect(events.map((e) => [e.type, e.severity])).toEqual([
      ['sync_started', 'info'],
      ['sync_retried', 'warning'],
      ['sync_started', 'info'],
      ['sync_retried', 'warning'],
      ['sync_started', 'info'],
      ['sync_failed', 'error'],
    ]);
    const delays = events.filter((e) => e.type === 'sync_retried').map((e) => (e.data as { delayMs: number }).delayMs);
    expect(delays[0]).toBeLessThan(50);
    expect(delays[1]).toBeLessThan(100);
    expect(await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: integration.id } })).toMatchObject({
      status: 'error',
      lastError: 'marketplace exploded',
      failedSyncCount: 1,
      totalSyncCount: 1,
    });
  });

  it('reschedules at the marketplace retry time without consuming an attempt (AppError and ConnectorError)', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration, { maxAttempts: 1 });
    let limits = 0;
    startWorker(
      pagedHandler({
        pages: 3,
        beforePage: (_ctx, page) => {
          if (page !== 2 || limits === 2) return;
          limits += 1;
          throw limits === 1
            ? new AppError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 1 })
            : new ConnectorError('RATE_LIMITED', 'Etsy answered 429', { platform: 'Etsy', status: 429, retryAfterSeconds: 1 });
        },
      }),
    );
    const rescheduled = await waitForJob(prisma, queued.id, (job) => job.status === 'queued' && job.attempt === 0 && job.error !== null);
    expect(rescheduled.runAfter.getTime() - rescheduled.updatedAt.getTime()).toBe(1000);
    expect(rescheduled).toMatchObject({ lockedBy: null, leaseExpiresAt: null, checkpoint: { page: 1 }, error: { code: 'RATE_LIMITED' } });
    expect((await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: integration.id } })).status).toBe('connected');

    const job = await waitForJob(prisma, queued.id, isEnded, 8000);
    // max_attempts is 1: had a rate limit consumed an attempt, the job would have failed.
    expect(job).toMatchObject({ status: 'succeeded', attempt: 1 });
    const events = await eventsOf(job.id);
    const limited = events.filter((e) => e.type === 'rate_limited');
    expect(limited.map((e) => [e.severity, (e.data as { retryAfterSeconds: number }).retryAfterSeconds])).toEqual([
      ['warning', 1],
      ['warning', 1],
    ]);
    const starts = events.filter((e) => e.type === 'sync_started');
    expect(starts).toHaveLength(3);
    for (let i = 0; i < limited.length; i++) {
      expect(starts[i + 1]!.createdAt.getTime() - limited[i]!.createdAt.getTime()).toBeGreaterThanOrEqual(950);
    }
    expect(await rowsPerPage(prisma, job.id)).toEqual(new Map([[1, 2], [2, 2], [3, 2]]));
  });

  it('fails at once, without retrying, on refused credentials and sets the integration in error', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    startWorker(
      pagedHandler({
        pages: 2,
        beforePage: () => {
          throw new ConnectorError('INVALID_CREDENTIALS', 'Etsy refused the API key (401)', { platform: 'Etsy', status: 401 });
        },
      }),
    );
    const job = await waitForJob(prisma, queued.id, isEnded);
    expect(job).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'INVALID_CREDENTIALS', platform: 'Etsy', platformStatus: 401 } });
    expect(await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: integration.id } })).toMatchObject({
      status: 'error',
      lastError: 'Etsy refused the API key (401)',
    });
  });

  it('fails at once when the platform has no sync connector yet', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    const key = generateKey();
    const hub = { keyRing: parseKeyRing(`${key.keyId}:${key.base64Key}`), config: loadConfig({}) };
    const tracker = newTracker();
    startWorker(pagedHandler({ pages: 1 }, tracker), { openConnector: createConnectorOpener(hub) });
    const job = await waitForJob(prisma, queued.id, isEnded);
    expect(job).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'PLATFORM_UNAVAILABLE', message: 'Etsy sync is not available yet.' } });
    expect(tracker.starts.size).toBe(0);
  });
});

describe('cancel and stop', () => {
  it('stops a running job at its next checkpoint when cancelled', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    startWorker(pagedHandler({ pages: 50, pageDelayMs: 60 }));
    await waitForJob(prisma, queued.id, (job) => job.processed >= 4);
    const hub = { database: db.database, publisher } as Hub;
    await cancelSyncJob(hub, { userId, via: 'api_token' }, queued.id, 'test');
    const job = await waitForJob(prisma, queued.id, isEnded);
    expect(job.status).toBe('cancelled');
    expect(job.processed).toBeLessThan(100);
    // The page that noticed the cancel was committed, nothing after it.
    expect((await rowsPerPage(prisma, job.id)).size).toBe(job.processed / 2);
    const cancelledEvents = (await eventsOf(job.id)).filter((e) => e.type === 'sync_cancelled');
    expect(cancelledEvents.map((e) => e.source)).toEqual(['api', 'worker']);
    expect((await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: integration.id } })).status).toBe('connected');
  });

  it('stop() puts in-flight jobs back in the queue at their checkpoint, and another worker resumes them', async () => {
    const jobs = [await seedJob(prisma, await newIntegration()), await seedJob(prisma, await newIntegration())];
    const tracker = newTracker();
    const handler = pagedHandler({ pages: 8, pageDelayMs: 100 }, tracker);
    const first = startWorker(handler);
    for (const job of jobs) await waitForJob(prisma, job.id, (row) => row.processed >= 2);
    const stopping = performance.now();
    await first.stop(5000);
    expect(performance.now() - stopping).toBeLessThan(1000);
    for (const job of jobs) {
      const requeued = await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(requeued).toMatchObject({ status: 'queued', lockedBy: null, leaseExpiresAt: null, attempt: 0 });
      expect((requeued.checkpoint as { page: number }).page).toBeGreaterThanOrEqual(1);
    }
    startWorker(handler);
    for (const job of jobs) {
      const done = await waitForJob(prisma, job.id, isEnded);
      expect(done).toMatchObject({ status: 'succeeded', attempt: 1, createdCount: 16 });
      expect(await rowsPerPage(prisma, job.id)).toEqual(new Map(Array.from({ length: 8 }, (_, i) => [i + 1, 2])));
      expect(tracker.starts.get(job.id)).toBe(2);
    }
  });

  it('stop() releases the lease of a handler that ignores its signal once the timeout is over', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    let commitError: unknown;
    const stubborn: JobHandler = async (ctx) => {
      await sleep(1500);
      try {
        await ctx.commit(async () => ({ checkpoint: { page: 1 }, value: undefined }));
      } catch (error) {
        commitError = error;
        throw error;
      }
      return { results: {}, itemFailures: 0, warnings: [], productsSynced: 0, ordersSynced: 0 };
    };
    const worker = startWorker(stubborn);
    await waitForJob(prisma, queued.id, (job) => job.status === 'running');
    const stopping = performance.now();
    await worker.stop(400);
    expect(performance.now() - stopping).toBeLessThan(900);
    expect(await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'queued', lockedBy: null, checkpoint: null });
    await waitFor(async () => commitError, 3000, 'the late commit');
    expect((commitError as Error).name).toBe('LeaseLostError');
  });
});

describe('progress publishing', () => {
  it('sends at most 10 updates per second per job, and always the final state', async () => {
    const integration = await newIntegration();
    const queued = await seedJob(prisma, integration);
    const published = recordPublished();
    try {
      startWorker(pagedHandler({ pages: 120, itemsPerPage: 1 }));
      const job = await waitForJob(prisma, queued.id, isEnded, 20_000);
      await sleep(200);
      const updates = published.sent.filter((s) => s.kind === 'job' && s.value.id === job.id);
      const at = updates.map((u) => u.at);
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(99);
      expect(updates.at(-1)!.value).toMatchObject({ status: 'succeeded', processed: 120 });
      expect(updates.length).toBeLessThan(120);
    } finally {
      published.restore();
    }
  });
});
