import type { TenantTransaction } from '../db/tenant.ts';
import { writeEventLog } from '../events/event-log.ts';
import type {
  MarketplaceEventLog,
  MarketplaceIntegration,
  MarketplaceSyncJob,
  PrismaClient,
} from '../generated/prisma/client.ts';
import type { JobFence } from './fence.ts';
import { interval } from './sql.ts';

export interface ClaimedJob {
  job: MarketplaceSyncJob;
  integration: MarketplaceIntegration;
  fence: JobFence;
  /** The sync_started entry written with the claim, to publish. */
  started: MarketplaceEventLog;
}

export interface ClaimOptions {
  workerId: string;
  leaseMs: number;
  /** Jobs this process is running already (never claim one of them again, even with a lapsed lease). */
  runningJobIds: string[];
}

/** Integrations skipped in one claim before giving up until the next poll. */
const maxSkippedIntegrations = 20;

/**
 * Claims the next runnable job, or returns null. Runnable: queued and due, or
 * running with a lapsed lease (its worker died; it resumes from its checkpoint).
 * One running job per integration: the integration row is locked (skipped when
 * another claim holds it) and the job is skipped when another job of the same
 * integration holds a live lease. Runs as the system user (cross-tenant).
 */
export async function claimNextJob(prisma: PrismaClient, options: ClaimOptions): Promise<ClaimedJob | null> {
  return prisma.$transaction(
    async (tx) => {
      const skipped: string[] = [];
      while (skipped.length < maxSkippedIntegrations) {
        const [candidate] = await tx.$queryRaw<{ id: string; integration_id: string }[]>`
          SELECT j.id, j.integration_id
            FROM marketplace_sync_jobs j
           WHERE ((j.status = 'queued' AND j.run_after <= now())
                  OR (j.status = 'running' AND j.lease_expires_at < now()))
             AND j.id <> ALL(${options.runningJobIds}::uuid[])
             AND j.integration_id <> ALL(${skipped}::uuid[])
             AND NOT EXISTS (
                   SELECT 1 FROM marketplace_sync_jobs other
                    WHERE other.integration_id = j.integration_id AND other.id <> j.id
                      AND other.status = 'running' AND other.lease_expires_at >= now())
           ORDER BY j.run_after, j.created_at
           LIMIT 1
             FOR UPDATE OF j SKIP LOCKED`;
        if (!candidate) return null;
        if (await integrationIsBusy(tx, candidate.integration_id, candidate.id)) {
          skipped.push(candidate.integration_id);
          continue;
        }
        return takeJob(tx, candidate.id, options);
      }
      return null;
    },
    // Claims are short; on the embedded database they may queue behind other transactions.
    { maxWait: 10_000, timeout: 10_000 },
  );
}

/**
 * Locks the integration row; true when another claim holds it right now, or when
 * another of its jobs holds a live lease (checked after the lock, so two claims for
 * one integration are serialised and the second sees the first).
 */
async function integrationIsBusy(tx: TenantTransaction, integrationId: string, jobId: string): Promise<boolean> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM marketplace_integrations WHERE id = ${integrationId}::uuid FOR UPDATE SKIP LOCKED`;
  if (!locked.length) return true;
  const live = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM marketplace_sync_jobs
     WHERE integration_id = ${integrationId}::uuid AND id <> ${jobId}::uuid
       AND status = 'running' AND lease_expires_at >= now()
     LIMIT 1`;
  return live.length > 0;
}

async function takeJob(tx: TenantTransaction, jobId: string, { workerId, leaseMs }: ClaimOptions): Promise<ClaimedJob> {
  const before = await tx.marketplaceSyncJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, lockedBy: true } });
  await tx.$executeRaw`
    UPDATE marketplace_sync_jobs
       SET status = 'running',
           locked_by = ${workerId},
           lease_expires_at = now() + ${interval(leaseMs)},
           heartbeat_at = now(),
           started_at = COALESCE(started_at, now()),
           attempt = attempt + 1,
           updated_at = now()
     WHERE id = ${jobId}::uuid`;
  const job = await tx.marketplaceSyncJob.findUniqueOrThrow({ where: { id: jobId } });
  await tx.$executeRaw`
    UPDATE marketplace_integrations SET status = 'syncing', updated_at = now()
     WHERE id = ${job.integrationId}::uuid AND status <> 'disconnected'`;
  const integration = await tx.marketplaceIntegration.findUniqueOrThrow({ where: { id: job.integrationId } });
  const resumed = before.status === 'running';
  const started = await writeEventLog(tx, {
    userId: job.userId,
    integrationId: job.integrationId,
    syncJobId: job.id,
    type: 'sync_started',
    source: 'worker',
    message: resumed
      ? `${job.type} sync (${job.direction}) resumed from its last checkpoint: its worker stopped renewing the lease`
      : `${job.type} sync (${job.direction}) started, attempt ${job.attempt} of ${job.maxAttempts}`,
    data: { attempt: job.attempt, maxAttempts: job.maxAttempts, resumed, fromCheckpoint: job.checkpoint !== null, ...(resumed && { previousWorker: before.lockedBy }) },
  });
  return {
    job,
    integration,
    started,
    fence: { jobId: job.id, userId: job.userId, integrationId: job.integrationId, workerId, attempt: job.attempt },
  };
}
