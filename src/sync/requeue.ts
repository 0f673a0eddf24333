import { withUser } from '../db/tenant.ts';
import { writeEventLog } from '../events/event-log.ts';
import { Prisma, type MarketplaceEventLog, type PrismaClient } from '../generated/prisma/client.ts';
import type { JobErrorJson } from './failure.ts';
import { fencedJobUpdate, type JobFence } from './fence.ts';
import { interval, jsonb } from './sql.ts';
import { loadTransition, type JobTransition } from './transition.ts';

export type Requeue =
  /** The attempt failed and may be retried later; it counts against max_attempts. */
  | { reason: 'backoff'; delayMs: number; error: JobErrorJson }
  /** The marketplace said when to come back; not a failed attempt. */
  | { reason: 'rate_limited'; delayMs: number; error: JobErrorJson }
  /** This worker is shutting down; another one resumes at once from the checkpoint. */
  | { reason: 'stopping' };

/**
 * Puts a job this worker holds back in the queue with its lease released and
 * its checkpoint kept, in one transaction as its user; the integration is no
 * longer syncing. Fenced: LeaseLostError when another worker owns the job.
 */
export async function requeueJob(prisma: PrismaClient, fence: JobFence, requeue: Requeue): Promise<JobTransition> {
  return withUser(prisma, fence.userId, async (tx) => {
    const delayMs = requeue.reason === 'stopping' ? 0 : requeue.delayMs;
    await fencedJobUpdate(tx, fence, [
      Prisma.sql`status = 'queued'`,
      Prisma.sql`locked_by = NULL`,
      Prisma.sql`lease_expires_at = NULL`,
      Prisma.sql`heartbeat_at = NULL`,
      Prisma.sql`run_after = now() + ${interval(delayMs)}`,
      ...(requeue.reason === 'backoff' ? [] : [Prisma.sql`attempt = attempt - 1`]),
      ...(requeue.reason === 'stopping' ? [] : [Prisma.sql`error = ${jsonb({ ...requeue.error, attempt: fence.attempt })}`]),
    ]);
    await tx.$executeRaw`
      UPDATE marketplace_integrations SET status = 'connected', updated_at = now()
       WHERE id = ${fence.integrationId}::uuid AND status = 'syncing'`;
    const events: MarketplaceEventLog[] = [];
    if (requeue.reason !== 'stopping') {
      const job = await tx.marketplaceSyncJob.findUniqueOrThrow({ where: { id: fence.jobId } });
      const seconds = Math.ceil(requeue.delayMs / 1000);
      const entry = { userId: fence.userId, integrationId: fence.integrationId, syncJobId: fence.jobId, source: 'worker' as const, severity: 'warning' as const };
      events.push(
        await writeEventLog(
          tx,
          requeue.reason === 'backoff'
            ? {
                ...entry,
                type: 'sync_retried',
                message: `Attempt ${fence.attempt} of ${job.maxAttempts} failed (${requeue.error.message}); retrying in ${seconds} s`,
                data: { attempt: fence.attempt, maxAttempts: job.maxAttempts, delayMs: requeue.delayMs, runAfter: job.runAfter, error: requeue.error },
              }
            : {
                ...entry,
                type: 'rate_limited',
                message: `Rate limited by the marketplace; the sync resumes from its checkpoint in ${seconds} s`,
                data: { retryAfterSeconds: requeue.delayMs / 1000, runAfter: job.runAfter, error: requeue.error },
              },
        ),
      );
    }
    return loadTransition(tx, fence, events);
  });
}
