import { AppError, notFound } from '../errors.ts';
import { runAsUser } from '../events/tenant-work.ts';
import { Prisma, type MarketplaceSyncJob } from '../generated/prisma/client.ts';
import type { SyncDirection, SyncJobStatus, SyncJobType } from '../generated/prisma/enums.ts';
import type { Hub, Viewer } from '../hub.ts';

export const terminalJobStatuses: readonly SyncJobStatus[] = ['succeeded', 'partially_succeeded', 'failed', 'cancelled'];
const retryableStatuses: readonly SyncJobStatus[] = ['failed', 'cancelled', 'partially_succeeded'];

export function isTerminal(status: SyncJobStatus): boolean {
  return terminalJobStatuses.includes(status);
}

/**
 * Queues a manual sync. Asking twice for the same sync while the first is still
 * queued returns that job rather than queueing a duplicate; workers run one job
 * per integration at a time, others wait in the queue.
 */
export async function startSync(
  hub: Hub,
  viewer: Viewer,
  input: { integrationId: string; type: SyncJobType; direction?: SyncDirection | null },
  correlationId: string,
): Promise<MarketplaceSyncJob> {
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const integration = await tx.marketplaceIntegration.findUnique({ where: { id: input.integrationId } });
    if (!integration) throw notFound('Integration');
    if (integration.status === 'disconnected') {
      throw new AppError('CONFLICT', 'This integration is disconnected: reconnect it before syncing.');
    }
    const direction = input.direction ?? integration.syncDirection;
    const queued = await tx.marketplaceSyncJob.findFirst({
      where: { integrationId: integration.id, status: 'queued', type: input.type, direction, scope: { equals: Prisma.AnyNull } },
      orderBy: { createdAt: 'asc' },
    });
    if (queued) return queued;
    const job = await tx.marketplaceSyncJob.create({
      data: { userId: viewer.userId, integrationId: integration.id, type: input.type, direction, trigger: 'manual' },
    });
    await outbox.log({
      integrationId: integration.id,
      syncJobId: job.id,
      type: 'sync_queued',
      source: 'api',
      message: `${input.type} sync (${direction}) queued`,
      data: { type: input.type, direction },
      correlationId,
    });
    outbox.publish((p) => p.syncJobUpdated(job));
    return job;
  });
}

/** A queued job is cancelled at once; a running one stops at its next checkpoint. */
export async function cancelSyncJob(hub: Hub, viewer: Viewer, jobId: string, correlationId: string): Promise<MarketplaceSyncJob> {
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const current = await tx.marketplaceSyncJob.findUnique({ where: { id: jobId } });
    if (!current) throw notFound('Sync job');
    if (isTerminal(current.status)) {
      throw new AppError('CONFLICT', `This sync job has already ended (${current.status}).`);
    }
    const now = new Date();
    const job =
      current.status === 'queued'
        ? await tx.marketplaceSyncJob.update({
            where: { id: jobId },
            data: { status: 'cancelled', cancelRequestedAt: now, completedAt: now, error: { message: 'Cancelled before it started' } },
          })
        : await tx.marketplaceSyncJob.update({ where: { id: jobId }, data: { cancelRequestedAt: current.cancelRequestedAt ?? now } });
    await outbox.log({
      integrationId: job.integrationId,
      syncJobId: job.id,
      type: 'sync_cancelled',
      source: 'api',
      message: job.status === 'cancelled' ? 'Queued sync cancelled' : 'Cancellation requested; the sync stops at its next checkpoint',
      correlationId,
    });
    outbox.publish((p) => p.syncJobUpdated(job));
    return job;
  });
}

/** Queues a new attempt of an ended job (same type, direction and scope), linked to it. */
export async function retrySyncJob(hub: Hub, viewer: Viewer, jobId: string, correlationId: string): Promise<MarketplaceSyncJob> {
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const failed = await tx.marketplaceSyncJob.findUnique({ where: { id: jobId }, include: { integration: true } });
    if (!failed) throw notFound('Sync job');
    if (!retryableStatuses.includes(failed.status)) {
      throw new AppError('CONFLICT', `Only failed, cancelled or partially succeeded jobs can be retried; this one is ${failed.status}.`);
    }
    if (failed.integration.status === 'disconnected') {
      throw new AppError('CONFLICT', 'This integration is disconnected: reconnect it before syncing.');
    }
    const job = await tx.marketplaceSyncJob.create({
      data: {
        userId: viewer.userId,
        integrationId: failed.integrationId,
        type: failed.type,
        direction: failed.direction,
        trigger: 'retry',
        retryOfId: failed.id,
        scope: (failed.scope ?? undefined) as Prisma.InputJsonValue | undefined,
      },
    });
    await outbox.log({
      integrationId: job.integrationId,
      syncJobId: job.id,
      type: 'sync_retried',
      source: 'api',
      message: `Retry of a ${failed.status} ${failed.type} sync queued`,
      data: { retryOf: failed.id },
      correlationId,
    });
    outbox.publish((p) => p.syncJobUpdated(job));
    return job;
  });
}
