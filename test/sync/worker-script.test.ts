import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { openMigratedDatabase } from '../../src/db/setup.ts';
import { createLogger } from '../../src/logger.ts';
import { startProcess } from '../helpers/sync-process.ts';
import { seedJob, seedSyncIntegration, seedUser } from '../helpers/sync.ts';

// `npm run worker` as shipped: the engine wired to the real connector opener and handler.
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'hub-worker-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run worker', () => {
  it('runs queued jobs without an HTTP server, fails a platform with no connector at once, and stops on SIGTERM', { timeout: 60_000 }, async () => {
    const { database } = await openMigratedDatabase({ kind: 'embedded', dataDir }, createLogger('silent'));
    const user = await seedUser(database.prisma);
    const queued = await seedJob(database.prisma, await seedSyncIntegration(database.prisma, user.id));
    await database.close();

    const worker = startProcess('scripts/worker.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'info', SYNC_LEASE_SECONDS: '10' });
    await worker.waitForLine((line) => line.msg === 'sync worker process ready', 30_000);
    const ended = await worker.waitForLine((line) => line.msg === 'sync job ended' && line.jobId === queued.id);
    expect(ended.status).toBe('failed');
    expect(worker.lines().some((line) => line.msg === 'hub listening')).toBe(false);

    worker.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.lines().at(-1)?.msg).toBe('stopped');

    const reopened = await openDatabase({ kind: 'embedded', dataDir });
    try {
      const job = await reopened.prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: queued.id } });
      expect(job).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'PLATFORM_UNAVAILABLE', message: 'Etsy sync is not available yet.' } });
    } finally {
      await reopened.close();
    }
  });
});
