import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRedis, createEventPublisher, type EventPublisher } from '../../src/events/publisher.ts';
import { StartSyncDocument } from '../generated/graphql/graphql.ts';
import { followJobStatuses, graphqlClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { gid, seedIntegration } from '../helpers/seed.ts';

// Cross-instance pub/sub needs a Redis server: CI sets TEST_REDIS_URL (and fails if Redis is down);
// a plain `npm test` on a machine without Redis leaves this file out.
const redisUrl = process.env.TEST_REDIS_URL || undefined;

describe.skipIf(!redisUrl)('events across instances through Redis', () => {
  let t: TestHub;
  let otherInstance: EventPublisher;

  beforeAll(async () => {
    await checkRedis(redisUrl!);
    t = await startTestHub({ REDIS_URL: redisUrl! });
    otherInstance = createEventPublisher(redisUrl);
  });
  afterAll(async () => {
    await otherInstance?.close();
    await t?.stop();
  });

  it("delivers a job update published by another instance to this instance's subscriber, to its final state", async () => {
    const user = await t.newUser();
    const integration = await seedIntegration(t.hub.database.prisma, user.userId);
    const api = graphqlClient(t.baseUrl, user.authorization);
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId: gid.integration(integration.id), type: 'products' });

    const { statuses, started, ended } = followJobStatuses(t.baseUrl, user.authorization, job.id);
    await started;
    // Give the Redis subscription a moment to be registered before the other instance publishes.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const prisma = t.hub.database.prisma;
    const running = await prisma.marketplaceSyncJob.update({ where: { id: gid.local(job.id) }, data: { status: 'running', processed: 5, total: 10 } });
    otherInstance.syncJobUpdated(running);
    const succeeded = await prisma.marketplaceSyncJob.update({ where: { id: gid.local(job.id) }, data: { status: 'succeeded', processed: 10 } });
    otherInstance.syncJobUpdated(succeeded);
    await ended;
    expect(statuses).toEqual(['queued', 'running', 'succeeded']);
  });
});
