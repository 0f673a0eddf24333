import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../helpers/database.ts';
import { startSyncProcess, type SyncProcess } from '../helpers/sync-process.ts';
import { seedSyncIntegration, seedUser } from '../helpers/sync.ts';

// The acceptance run: two scheduler processes (each with a worker, as two
// `npm start` instances would be) for three minutes with a one-minute frequency.
// Separate processes cannot share the embedded PGlite database: server only.
describe.skipIf(!testServerUrl)('two scheduler processes (PostgreSQL server only: needs TEST_DATABASE_URL)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const processes: SyncProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = db.database.prisma;
  });

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await db?.drop();
  });

  it('enqueue exactly one job per slot over three minutes with a one-minute frequency', { timeout: 240_000 }, async () => {
    const userId = (await seedUser(prisma)).id;
    const integrations = [];
    for (let i = 0; i < 3; i++) integrations.push(await seedSyncIntegration(prisma, userId, { autoSyncEnabled: true, syncFrequencyMinutes: 1 }));
    const url = (db.target as { url: string }).url;
    // The first job is queued whenever the processes come up; one queued in the last
    // seconds of a minute could end in the next one, which its sync then covers.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await sleep(60_000 - intoMinute + 500);
    for (const name of ['a', 'b']) {
      // Both tick every second, so their scans of a new slot race each other.
      const child = startSyncProcess({
        TEST_PROCESS_DATABASE_URL: url,
        RUN_WORKER: '1',
        RUN_SCHEDULER: '1',
        SCHEDULE_PATTERN: '* * * * * *',
        WORKER_ID: `scheduler-${name}`,
        PAGES: '1',
      });
      processes.push(child);
      await child.waitForLine((line) => line.msg === 'test sync process ready');
    }
    const started = Date.now();
    await sleep(181_000);
    for (const child of processes) child.kill('SIGTERM');
    for (const child of processes) expect((await child.exited).code).toBe(0);
    const elapsedMinutes = (Date.now() - started) / 60_000;

    let queuedByProcesses = 0;
    for (const child of processes) {
      queuedByProcesses += child
        .lines()
        .filter((line) => line.msg === 'scheduled syncs queued')
        .reduce((sum, line) => sum + Number(line.queued), 0);
    }
    let total = 0;
    for (const integration of integrations) {
      const jobs = await prisma.marketplaceSyncJob.findMany({
        where: { integrationId: integration.id, trigger: 'schedule' },
        orderBy: { scheduleSlot: 'asc' },
      });
      total += jobs.length;
      const slots = jobs.map((job) => job.scheduleSlot!.getTime());
      // One job per slot, every slot of the run, minute-aligned and consecutive.
      expect(jobs.length).toBeGreaterThanOrEqual(Math.floor(elapsedMinutes));
      expect(jobs.length).toBeLessThanOrEqual(Math.ceil(elapsedMinutes) + 1);
      for (const slot of slots) expect(slot % 60_000).toBe(0);
      for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBe(60_000);
      expect(jobs.filter((job) => job.status === 'succeeded').length).toBeGreaterThanOrEqual(jobs.length - 1);
      expect(await prisma.marketplaceEventLog.count({ where: { integrationId: integration.id, type: 'sync_queued' } })).toBe(jobs.length);
    }
    // Together the processes reported each job once: the losing instance inserted nothing.
    expect(queuedByProcesses).toBe(total);
  });
});
