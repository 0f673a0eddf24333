import { withUser, type TenantTransaction } from '../db/tenant.ts';
import { Prisma, type MarketplaceSyncJob, type PrismaClient } from '../generated/prisma/client.ts';
import { fencedJobUpdate, type JobFence } from './fence.ts';
import type { CheckpointUpdate, JobCounts } from './job-context.ts';
import { interval, jsonb } from './sql.ts';

const countColumns: Record<keyof JobCounts, Prisma.Sql> = {
  created: Prisma.raw('created_count'),
  updated: Prisma.raw('updated_count'),
  unchanged: Prisma.raw('unchanged_count'),
  skipped: Prisma.raw('skipped_count'),
  failed: Prisma.raw('failed_count'),
};

/**
 * One unit of a job's work and its checkpoint in one transaction as the job's user,
 * fenced on the worker's lease (LeaseLostError rolls the work back). Returns the
 * work's value and the job row as committed.
 */
export async function commitCheckpoint<T>(
  prisma: PrismaClient,
  fence: JobFence,
  leaseMs: number,
  work: (tx: TenantTransaction) => Promise<CheckpointUpdate & { value: T }>,
): Promise<{ value: T; job: MarketplaceSyncJob }> {
  return withUser(prisma, fence.userId, async (tx) => {
    const { value, ...update } = await work(tx);
    await fencedJobUpdate(tx, fence, [
      Prisma.sql`lease_expires_at = now() + ${interval(leaseMs)}`,
      Prisma.sql`heartbeat_at = now()`,
      ...checkpointAssignments(update),
    ]);
    const job = await tx.marketplaceSyncJob.findUniqueOrThrow({ where: { id: fence.jobId } });
    return { value, job };
  });
}

function checkpointAssignments({ checkpoint, progress = {}, counts = {} }: CheckpointUpdate): Prisma.Sql[] {
  const assignments: Prisma.Sql[] = [];
  if (checkpoint !== undefined) assignments.push(Prisma.sql`checkpoint = ${jsonb(checkpoint)}`);
  if (progress.phase !== undefined) assignments.push(Prisma.sql`phase = ${progress.phase}`);
  if (progress.processed !== undefined) assignments.push(Prisma.sql`processed = ${progress.processed}::int`);
  if (progress.total !== undefined) assignments.push(Prisma.sql`total = ${progress.total}::int`);
  for (const [key, column] of Object.entries(countColumns) as [keyof JobCounts, Prisma.Sql][]) {
    const added = counts[key];
    if (added) assignments.push(Prisma.sql`${column} = ${column} + ${added}::int`);
  }
  return assignments;
}
