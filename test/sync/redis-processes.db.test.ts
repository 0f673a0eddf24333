import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/secrets/key-ring.ts';
import { StartSyncDocument } from '../generated/graphql/graphql.ts';
import { testServerUrl } from '../helpers/database.ts';
import { followJobStatuses, graphqlClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { gid, seedIntegration } from '../helpers/seed.ts';
import { startProcess } from '../helpers/sync-process.ts';

// An API instance and a separate worker process share a PostgreSQL server and Redis: the worker's
// job updates must reach the API instance's subscribers. Needs both servers (CI's second pass).
const redisUrl = process.env.TEST_REDIS_URL || undefined;

describe.skipIf(!testServerUrl || !redisUrl)('job progress from a worker process to an API instance, through Redis', () => {
  let t: TestHub;

  beforeAll(async () => {
    t = await startTestHub({ REDIS_URL: redisUrl!, SYNC_CONCURRENCY: '0' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('streams the job a worker process runs until its final state', { timeout: 60_000 }, async () => {
    const user = await t.newUser();
    const integration = await seedIntegration(t.hub.database.prisma, user.userId, { platform: 'allegro' });
    const api = graphqlClient(t.baseUrl, user.authorization);
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId: gid.integration(integration.id), type: 'products' });

    const { statuses, started, ended } = followJobStatuses(t.baseUrl, user.authorization, job.id);
    await started;
    await new Promise((resolve) => setTimeout(resolve, 200));

    const key = generateKey();
    const worker = startProcess('scripts/worker.ts', {
      DATABASE_URL: t.db.target.kind === 'server' ? t.db.target.url : '',
      REDIS_URL: redisUrl!,
      ENCRYPTION_KEYS: `${key.keyId}:${key.base64Key}`,
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'info',
    });
    try {
      await ended;
    } finally {
      worker.kill('SIGTERM');
      await worker.exited;
    }
    // The platform has no connector yet, so the worker ends the job failed at once; what matters here
    // is that its updates crossed processes: claimed (running) in the worker, then the final state.
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('failed');
    expect(statuses).toContain('running');
  });
});
