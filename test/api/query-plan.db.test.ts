import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardDocument, type DashboardQuery } from '../generated/graphql/graphql.ts';
import { graphqlClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let statements: string[] = [];

beforeAll(async () => {
  t = await startTestHub({}, { onQuery: (sql) => statements.push(sql) });
});
afterAll(async () => {
  await t?.stop();
});

async function seedUserWith(integrations: number) {
  const user = await t.newUser();
  const prisma = t.hub.database.prisma;
  await prisma.marketplaceIntegration.createMany({
    data: Array.from({ length: integrations }, (_, i) => ({
      userId: user.userId,
      platform: 'allegro' as const,
      accountKey: `acct-${i}`,
      displayName: `Shop ${i}`,
    })),
  });
  const rows = await prisma.marketplaceIntegration.findMany({ where: { userId: user.userId }, select: { id: true } });
  await prisma.marketplaceSyncJob.createMany({
    data: rows.flatMap(({ id }) =>
      Array.from({ length: 10 }, () => ({ userId: user.userId, integrationId: id, type: 'products' as const, direction: 'pull' as const, trigger: 'schedule' as const })),
    ),
  });
  const jobs = await prisma.marketplaceSyncJob.findMany({ where: { userId: user.userId }, select: { id: true, integrationId: true } });
  await prisma.marketplaceEventLog.createMany({
    data: jobs.flatMap((job) =>
      ['sync_started', 'sync_completed'].map((type) => ({
        userId: user.userId,
        integrationId: job.integrationId,
        syncJobId: job.id,
        type: type as 'sync_started' | 'sync_completed',
        source: 'worker' as const,
        message: type,
      })),
    ),
  });
  return graphqlClient(t.baseUrl, user.authorization);
}

async function countStatements(run: () => Promise<unknown>) {
  statements = [];
  await run();
  return statements.length;
}

describe('query planning', () => {
  it('loads integrations × their latest jobs × their event logs in a constant number of SQL statements', async () => {
    const small = await seedUserWith(5);
    const large = await seedUserWith(50);
    let result: DashboardQuery | undefined;
    const forSmall = await countStatements(() => small.data(DashboardDocument, { first: 50 }));
    const forLarge = await countStatements(async () => {
      result = await large.data(DashboardDocument, { first: 50 });
    });
    const integrations = result!.integrations.edges;
    expect(integrations).toHaveLength(50);
    expect(integrations.every((e) => e.node.recentJobs.length === 10)).toBe(true);
    expect(integrations.every((e) => e.node.recentJobs.every((job) => job.eventLogs.edges.length === 2))).toBe(true);
    expect(forLarge).toBe(forSmall);
    expect(forLarge).toBeLessThanOrEqual(12);
  });
});
