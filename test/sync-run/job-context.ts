import type { Connector } from '../../src/connectors/contract.ts';
import { withUser } from '../../src/db/tenant.ts';
import type { MarketplaceSyncJob, PrismaClient } from '../../src/generated/prisma/client.ts';
import type { SyncDirection, SyncJobType } from '../../src/generated/prisma/enums.ts';
import { createLogger } from '../../src/logger.ts';
import type { JobContext, JobHandler, JobOutcome } from '../../src/sync/job-context.ts';

/**
 * A stand-in for the job runner, enough to drive a JobHandler in tests and the
 * benchmark: `commit` runs the work as the job's user and saves checkpoint,
 * progress and counts on the job row in the same transaction. It can simulate a
 * crash — the process dying right after a commit, or inside one (rolled back) —
 * and `finishJob` does the completion bookkeeping the runner does (status,
 * results, cursors merged into the integration).
 */

export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`Simulated crash ${where}`);
    this.name = 'SimulatedCrash';
  }
}

export interface CrashPlan {
  /** Die right after the Nth commit of this attempt has committed. */
  afterCommit?: number;
  /** Die inside the Nth commit, after its work ran (the transaction rolls back). */
  insideCommit?: number;
}

export interface TestJobContext extends JobContext {
  /** Commits of this attempt so far. */
  commits: number;
  /** Milliseconds spent inside commits (the database share of the work). */
  commitMs: number;
}

export function testJobContext(
  prisma: PrismaClient,
  job: MarketplaceSyncJob,
  integration: JobContext['integration'],
  connector: Connector,
  crash: CrashPlan = {},
): TestJobContext {
  const context: TestJobContext = {
    job,
    integration,
    connector,
    prisma,
    logger: createLogger('silent'),
    signal: new AbortController().signal,
    commits: 0,
    commitMs: 0,
    async commit(work) {
      const started = performance.now();
      const attempt = context.commits + 1;
      try {
        const value = await withUser(prisma, job.userId, async (tx) => {
          const { value, checkpoint, progress, counts = {} } = await work(tx);
          await tx.marketplaceSyncJob.update({
            where: { id: job.id },
            data: {
              checkpoint: checkpoint as object,
              ...(progress?.phase !== undefined && { phase: progress.phase }),
              ...(progress?.processed !== undefined && { processed: progress.processed }),
              ...(progress?.total !== undefined && { total: progress.total }),
              createdCount: { increment: counts.created ?? 0 },
              updatedCount: { increment: counts.updated ?? 0 },
              unchangedCount: { increment: counts.unchanged ?? 0 },
              skippedCount: { increment: counts.skipped ?? 0 },
              failedCount: { increment: counts.failed ?? 0 },
            },
          });
          if (crash.insideCommit === attempt) throw new SimulatedCrash(`inside commit ${attempt}`);
          return value;
        });
        context.commits = attempt;
        if (crash.afterCommit === attempt) throw new SimulatedCrash(`after commit ${attempt}`);
        return value;
      } finally {
        context.commitMs += performance.now() - started;
      }
    },
  };
  return context;
}

export async function createJob(
  prisma: PrismaClient,
  integration: { id: string; userId: string },
  type: SyncJobType,
  direction: SyncDirection,
  scope?: object,
): Promise<MarketplaceSyncJob> {
  return prisma.marketplaceSyncJob.create({
    data: { userId: integration.userId, integrationId: integration.id, type, direction, trigger: 'manual', status: 'running', startedAt: new Date(), ...(scope && { scope }) },
  });
}

/** Runs one attempt of a job (from its saved checkpoint) and, when it ends, records the outcome like the runner. */
export async function runAttempt(
  prisma: PrismaClient,
  handler: JobHandler,
  jobId: string,
  connector: Connector,
  crash: CrashPlan = {},
): Promise<{ outcome: JobOutcome; context: TestJobContext }> {
  const job = await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: jobId } });
  const integration = await prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: job.integrationId } });
  const context = testJobContext(prisma, job, integration, connector, crash);
  const outcome = await handler(context);
  await finishJob(prisma, job, integration, outcome);
  return { outcome, context };
}

async function finishJob(prisma: PrismaClient, job: MarketplaceSyncJob, integration: JobContext['integration'], outcome: JobOutcome) {
  const partial = outcome.itemFailures > 0 || outcome.warnings.length > 0;
  await prisma.marketplaceSyncJob.update({
    where: { id: job.id },
    data: { status: partial ? 'partially_succeeded' : 'succeeded', results: outcome.results as object, completedAt: new Date() },
  });
  await prisma.marketplaceIntegration.update({
    where: { id: integration.id },
    data: { cursors: { ...(integration.cursors as object), ...outcome.cursors } as object },
  });
}
