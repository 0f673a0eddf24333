import { withUser } from '../db/tenant.ts';
import { writeEventLog } from '../events/event-log.ts';
import { Prisma, type MarketplaceSyncJob, type PrismaClient } from '../generated/prisma/client.ts';
import type { EventSeverity, EventType } from '../generated/prisma/enums.ts';
import type { JobErrorJson } from './failure.ts';
import { fencedJobUpdate, type JobFence } from './fence.ts';
import type { JobOutcome } from './job-context.ts';
import { interval, jsonb, slotStart } from './sql.ts';
import { loadTransition, type JobTransition } from './transition.ts';

export type JobEnding =
  | { status: 'succeeded' | 'partially_succeeded'; outcome: JobOutcome }
  | { status: 'cancelled' }
  | { status: 'failed'; error: JobErrorJson };

export function endingOf(outcome: JobOutcome): JobEnding {
  const partial = outcome.itemFailures > 0 || outcome.warnings.length > 0;
  return { status: partial ? 'partially_succeeded' : 'succeeded', outcome };
}

export interface CompletionOptions {
  /** Length of one sync_frequency_minutes unit: a minute, shorter only in tests. */
  frequencyUnitMs: number;
}

/**
 * Ends a job in one transaction as its user: the job's final state, the
 * integration's statistics, last / next sync time, cursors and status, and the
 * event log entry. Fenced: LeaseLostError when another worker owns the job.
 *
 * The next sync is the start of the next schedule slot (the scheduler's grid), not
 * now + frequency: a job that ends late in its slot would otherwise push the next
 * one past the following slot, and the drift would skip a slot now and then.
 */
export async function completeJob(
  prisma: PrismaClient,
  fence: JobFence,
  ending: JobEnding,
  { frequencyUnitMs }: CompletionOptions,
): Promise<JobTransition> {
  return withUser(prisma, fence.userId, async (tx) => {
    const outcome = 'outcome' in ending ? ending.outcome : undefined;
    const error = ending.status === 'failed' ? ending.error : ending.status === 'cancelled' ? cancelledError : null;
    await fencedJobUpdate(tx, fence, [
      Prisma.sql`status = ${ending.status}::sync_job_status`,
      Prisma.sql`completed_at = now()`,
      Prisma.sql`duration_ms = round(extract(epoch FROM now() - COALESCE(started_at, now())) * 1000)::int`,
      Prisma.sql`lease_expires_at = NULL`,
      Prisma.sql`results = ${jsonb(outcome?.results)}`,
      Prisma.sql`error = ${jsonb(error)}`,
    ]);
    const failed = ending.status === 'failed';
    await tx.$executeRaw`
      UPDATE marketplace_integrations
         SET total_products_synced = total_products_synced + ${outcome?.productsSynced ?? 0}::int,
             total_orders_synced = total_orders_synced + ${outcome?.ordersSynced ?? 0}::int,
             total_sync_count = total_sync_count + 1,
             failed_sync_count = failed_sync_count + ${failed ? 1 : 0}::int,
             last_sync_at = now(),
             next_sync_at = CASE WHEN auto_sync_enabled AND status <> 'disconnected'
                                 THEN ${slotStart(Prisma.raw('sync_frequency_minutes'), frequencyUnitMs)}
                                      + sync_frequency_minutes * ${interval(frequencyUnitMs)} END,
             cursors = cursors || ${jsonb(outcome?.cursors ?? {})},
             status = CASE WHEN status = 'disconnected' THEN status
                           ELSE ${failed ? 'error' : 'connected'}::integration_status END,
             last_error = CASE WHEN ${failed}::boolean THEN ${error?.message ?? null}::text ELSE last_error END,
             last_error_at = CASE WHEN ${failed}::boolean THEN now() ELSE last_error_at END,
             updated_at = now()
       WHERE id = ${fence.integrationId}::uuid`;
    const job = await tx.marketplaceSyncJob.findUniqueOrThrow({ where: { id: fence.jobId } });
    const event = await writeEventLog(tx, {
      userId: job.userId,
      integrationId: job.integrationId,
      syncJobId: job.id,
      source: 'worker',
      ...describeEnding(job, ending),
    });
    return loadTransition(tx, fence, [event]);
  });
}

const cancelledError = { code: 'CANCELLED', message: 'Cancelled; it stopped at a checkpoint' };

function describeEnding(
  job: MarketplaceSyncJob,
  ending: JobEnding,
): { type: EventType; severity: EventSeverity; message: string; data: Record<string, unknown> } {
  const what = `${job.type} sync (${job.direction})`;
  const counts = {
    created: job.createdCount,
    updated: job.updatedCount,
    unchanged: job.unchangedCount,
    skipped: job.skippedCount,
    failed: job.failedCount,
  };
  const seconds = ((job.durationMs ?? 0) / 1000).toFixed(1);
  const base = { counts, durationMs: job.durationMs, attempt: job.attempt, processed: job.processed };
  switch (ending.status) {
    case 'succeeded':
    case 'partially_succeeded': {
      const { outcome } = ending;
      const partial = ending.status === 'partially_succeeded';
      const caveats = [
        ...(outcome.itemFailures ? [`${outcome.itemFailures} item(s) failed`] : []),
        ...outcome.warnings,
      ];
      return {
        type: 'sync_completed',
        severity: partial ? 'warning' : 'info',
        message: `${what} ${partial ? 'partially succeeded' : 'completed'} in ${seconds} s: ${summary(counts)}${caveats.length ? `; ${caveats.join('; ')}` : ''}`,
        data: {
          ...base,
          status: ending.status,
          productsSynced: outcome.productsSynced,
          ordersSynced: outcome.ordersSynced,
          itemFailures: outcome.itemFailures,
          warnings: outcome.warnings,
        },
      };
    }
    case 'cancelled':
      return { type: 'sync_cancelled', severity: 'info', message: `${what} cancelled after ${seconds} s: ${summary(counts)}`, data: base };
    case 'failed':
      return {
        type: 'sync_failed',
        severity: 'error',
        message: `${what} failed after attempt ${job.attempt} of ${job.maxAttempts}: ${ending.error.message}`,
        data: { ...base, error: ending.error },
      };
  }
}

function summary(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');
}
