import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventPublisher, type EventPublisher } from '../../src/events/publisher.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createLogger } from '../../src/logger.ts';
import { createSyncScheduler, type SyncScheduler } from '../../src/sync/scheduler.ts';
import { createSyncWorker } from '../../src/sync/worker.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { openStubConnector, pagedHandler, seedJob, seedSyncIntegration, seedUser } from '../helpers/sync.ts';

let db: TestDatabase;
let prisma: PrismaClient;
let publisher: EventPublisher;
let userId: string;
const logger = createLogger('silent');

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.database.prisma;
  publisher = createEventPublisher();
  userId = (await seedUser(prisma)).id;
});

afterEach(async () => {
  // Each test starts with nothing due.
  await prisma.marketplaceIntegration.updateMany({ data: { autoSyncEnabled: false } });
  await prisma.marketplaceSyncJob.updateMany({ where: { status: { in: ['queued', 'running'] } }, data: { status: 'cancelled' } });
});

afterAll(async () => {
  await publisher?.close();
  await db?.drop();
});

function scheduler(options: { frequencyUnitMs?: number; pattern?: string } = {}): SyncScheduler {
  return createSyncScheduler({ prisma, publisher, logger, ...options });
}

async function dbNow(): Promise<Date> {
  const [row] = await prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return row!.now;
}

function scheduledJobs(integrationId: string) {
  return prisma.marketplaceSyncJob.findMany({ where: { integrationId, trigger: 'schedule' }, orderBy: { scheduleSlot: 'asc' } });
}

function queuedEvents(integrationId: string) {
  return prisma.marketplaceEventLog.findMany({ where: { integrationId, type: 'sync_queued' } });
}

describe('the scheduler', () => {
  it('queues a full sync for each due integration, in its direction, on its slot, and moves its next sync time', async () => {
    const due = await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true, syncFrequencyMinutes: 60, syncDirection: 'pull' });
    const inError = await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true, status: 'error', nextSyncAt: new Date(Date.now() - 60_000) });
    const skipped = {
      disconnected: await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true, status: 'disconnected' }),
      autoSyncOff: await seedSyncIntegration(prisma, userId, { autoSyncEnabled: false }),
      notDueYet: await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true, nextSyncAt: new Date(Date.now() + 3_600_000) }),
      running: await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true, status: 'syncing' }),
      queued: await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true }),
    };
    await seedJob(prisma, skipped.running, { status: 'running' });
    await seedJob(prisma, skipped.queued);

    const before = await dbNow();
    const jobs = await scheduler().tick();
    expect(jobs.map((job) => job.integrationId).sort()).toEqual([due.id, inError.id].sort());
    const job = jobs.find((j) => j.integrationId === due.id)!;
    expect(job).toMatchObject({ type: 'full', direction: 'pull', trigger: 'schedule', status: 'queued', userId });

    // The slot is the database's now() truncated to the frequency, epoch-aligned.
    const slot = job.scheduleSlot!.getTime();
    expect(slot % 3_600_000).toBe(0);
    expect(slot).toBeLessThanOrEqual(before.getTime());
    expect(before.getTime() - slot).toBeLessThan(3_600_000);
    const after = await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: due.id } });
    expect(after.nextSyncAt!.getTime()).toBe(slot + 3_600_000);

    const events = await queuedEvents(due.id);
    expect(events.map((e) => [e.source, e.syncJobId])).toEqual([['scheduler', job.id]]);
    for (const integration of Object.values(skipped)) {
      expect(await scheduledJobs(integration.id)).toEqual([]);
    }
    // Due again only once its job has run.
    await prisma.marketplaceIntegration.update({ where: { id: due.id }, data: { nextSyncAt: null } });
    expect(await scheduler().tick()).toEqual([]);
  });

  it('lets only one of several instances enqueue a slot: the unique slot is the guard, not the due check', async () => {
    // A week-long slot, so the whole test stays within one slot.
    const integration = await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true, syncFrequencyMinutes: 10_080 });
    const instances = [scheduler(), scheduler(), scheduler()];
    const first = (await Promise.all(instances.map((s) => s.tick()))).flat();
    expect(first).toHaveLength(1);

    // The slot's job ran, and the integration looks due again within the same slot.
    await prisma.marketplaceSyncJob.update({ where: { id: first[0]!.id }, data: { status: 'succeeded' } });
    await prisma.marketplaceIntegration.update({ where: { id: integration.id }, data: { nextSyncAt: null } });
    const again = (await Promise.all(instances.map((s) => s.tick()))).flat();
    expect(again).toEqual([]);
    expect(await scheduledJobs(integration.id)).toHaveLength(1);
    expect(await queuedEvents(integration.id)).toHaveLength(1);
  });

  it('two croner-driven instances with a worker produce one job per slot over several slots', async () => {
    // Slot maths in test time: one frequency "minute" lasts a second, so a frequency of 2 gives 2-second slots.
    const frequencyUnitMs = 1000;
    const integration = await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true, syncFrequencyMinutes: 2 });
    const instances = [scheduler({ frequencyUnitMs, pattern: '* * * * * *' }), scheduler({ frequencyUnitMs, pattern: '* * * * * *' })];
    const worker = createSyncWorker({
      prisma,
      publisher,
      logger,
      workerId: 'scheduler-test-worker',
      concurrency: 1,
      leaseMs: 5000,
      pollMs: 50,
      handler: pagedHandler({ pages: 1 }),
      openConnector: openStubConnector,
      frequencyUnitMs,
    });
    worker.start();
    for (const instance of instances) instance.start();
    await sleep(9500);
    await Promise.all(instances.map((s) => s.stop()));
    await worker.stop(2000);

    const jobs = await scheduledJobs(integration.id);
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    const slots = jobs.map((job) => job.scheduleSlot!.getTime());
    expect(new Set(slots).size).toBe(slots.length);
    for (const slot of slots) expect(slot % 2000).toBe(0);
    expect(jobs.filter((job) => job.status === 'succeeded').length).toBeGreaterThanOrEqual(jobs.length - 1);
    // No instance wrote an event for a slot it did not insert.
    expect(await queuedEvents(integration.id)).toHaveLength(jobs.length);
  });
});
