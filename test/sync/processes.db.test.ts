import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../helpers/database.ts';
import { startSyncProcess, type SyncProcess } from '../helpers/sync-process.ts';
import { isEnded, rowsPerPage, seedJob, seedSyncIntegration, seedUser, waitForJob } from '../helpers/sync.ts';

// Separate OS processes need a database they can all reach: the embedded PGlite
// database lives inside one process, so these run only on the PostgreSQL server.
describe.skipIf(!testServerUrl)('sync workers in separate processes (PostgreSQL server only: needs TEST_DATABASE_URL)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let userId: string;
  let url: string;
  let processes: SyncProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = db.database.prisma;
    userId = (await seedUser(prisma)).id;
    url = (db.target as { url: string }).url;
  });

  afterEach(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await Promise.all(processes.map((child) => child.exited));
    processes = [];
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function start(env: Record<string, string>) {
    const child = startSyncProcess({ TEST_PROCESS_DATABASE_URL: url, RUN_WORKER: '1', ...env });
    processes.push(child);
    await child.waitForLine((line) => line.msg === 'test sync process ready');
    return child;
  }

  it('two processes never run the same job', { timeout: 60_000 }, async () => {
    const env = { PAGES: '4', PAGE_DELAY_MS: '150', CONCURRENCY: '2' };
    const children = [await start({ ...env, WORKER_ID: 'process-a' }), await start({ ...env, WORKER_ID: 'process-b' })];
    const jobs = [];
    for (let i = 0; i < 12; i++) jobs.push(await seedJob(prisma, await seedSyncIntegration(prisma, userId)));

    for (const queued of jobs) {
      const job = await waitForJob(prisma, queued.id, isEnded, 30_000);
      expect(job).toMatchObject({ status: 'succeeded', attempt: 1, createdCount: 8, processed: 8 });
      expect(await rowsPerPage(prisma, job.id)).toEqual(new Map([[1, 2], [2, 2], [3, 2], [4, 2]]));
      expect(await prisma.marketplaceEventLog.count({ where: { syncJobId: job.id, type: 'sync_started' } })).toBe(1);
    }
    const claims = children.map((child) => child.lines().filter((line) => line.msg === 'sync job claimed').map((line) => line.jobId));
    expect(claims.flat().sort()).toEqual(jobs.map((job) => job.id).sort());
    expect(claims.every((claimed) => claimed.length > 0)).toBe(true);
  });

  it('resumes the job of a SIGKILLed process in another process within the lease plus a few seconds, each page once', { timeout: 60_000 }, async () => {
    const leaseMs = 3000;
    const pages = 40;
    // Slow pages for the doomed process, so it is still mid-job once the survivor is up.
    const env = { PAGES: String(pages), LEASE_MS: String(leaseMs), CONCURRENCY: '1' };
    const doomed = await start({ ...env, PAGE_DELAY_MS: '250', WORKER_ID: 'doomed' });
    const queued = await seedJob(prisma, await seedSyncIntegration(prisma, userId));
    await doomed.waitForLine((line) => line.msg === 'page committed' && line.jobId === queued.id && Number(line.page) >= 3);
    const survivor = await start({ ...env, PAGE_DELAY_MS: '20', WORKER_ID: 'survivor' });

    doomed.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await doomed.exited).signal).toBe('SIGKILL');

    const job = await waitForJob(prisma, queued.id, isEnded, 30_000);
    expect(job).toMatchObject({ status: 'succeeded', attempt: 2, lockedBy: 'survivor', processed: pages * 2, createdCount: pages * 2 });
    expect(await rowsPerPage(prisma, job.id)).toEqual(new Map(Array.from({ length: pages }, (_, i) => [i + 1, 2])));

    const resumed = await prisma.marketplaceEventLog.findFirstOrThrow({ where: { syncJobId: job.id, type: 'sync_started', source: 'worker', data: { path: ['resumed'], equals: true } } });
    expect(resumed.data).toMatchObject({ previousWorker: 'doomed', fromCheckpoint: true });
    const resumeDelayMs = resumed.createdAt.getTime() - killedAt;
    expect(resumeDelayMs).toBeLessThan(leaseMs + 3000);
    // The survivor started from the checkpoint: it committed only the pages the doomed process had not.
    const survivorPages = survivor.lines().filter((line) => line.msg === 'page committed').map((line) => Number(line.page));
    const doomedPages = doomed.lines().filter((line) => line.msg === 'page committed').map((line) => Number(line.page));
    expect(survivorPages[0]).toBeGreaterThan(Math.max(...doomedPages));
  });

  it('a SIGTERMed process hands its job back at once: another process resumes it without waiting for the lease', { timeout: 60_000 }, async () => {
    const env = { PAGES: '30', LEASE_MS: '30000', CONCURRENCY: '1' };
    const leaving = await start({ ...env, PAGE_DELAY_MS: '200', WORKER_ID: 'leaving' });
    const queued = await seedJob(prisma, await seedSyncIntegration(prisma, userId));
    await leaving.waitForLine((line) => line.msg === 'page committed' && line.jobId === queued.id && Number(line.page) >= 2);
    await start({ ...env, PAGE_DELAY_MS: '20', WORKER_ID: 'staying' });
    leaving.kill('SIGTERM');
    expect((await leaving.exited).code).toBe(0);
    const stoppedAt = Date.now();
    const job = await waitForJob(prisma, queued.id, isEnded, 15_000);
    expect(job).toMatchObject({ status: 'succeeded', attempt: 1, lockedBy: 'staying', createdCount: 60 });
    expect(await rowsPerPage(prisma, job.id)).toEqual(new Map(Array.from({ length: 30 }, (_, i) => [i + 1, 2])));
    // Handed back at once, not after the 30-second lease.
    const resumed = await prisma.marketplaceEventLog.findMany({ where: { syncJobId: job.id, type: 'sync_started' }, orderBy: { createdAt: 'asc' } });
    expect(resumed).toHaveLength(2);
    expect(resumed[1]!.createdAt.getTime() - stoppedAt).toBeLessThan(3000);
  });
});
