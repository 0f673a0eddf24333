import type { TenantTransaction } from '../db/tenant.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { LeaseLostError } from './job-context.ts';

/** What proves a worker still owns a job: a later claim changes locked_by or attempt. */
export interface JobFence {
  jobId: string;
  userId: string;
  integrationId: string;
  workerId: string;
  attempt: number;
}

/**
 * Updates the job row only while this worker still holds it; otherwise throws
 * LeaseLostError, rolling back the caller's transaction.
 */
export async function fencedJobUpdate(tx: TenantTransaction, fence: JobFence, assignments: Prisma.Sql[]): Promise<void> {
  const updated = await tx.$executeRaw`
    UPDATE marketplace_sync_jobs
       SET ${Prisma.join([...assignments, Prisma.sql`updated_at = now()`])}
     WHERE id = ${fence.jobId}::uuid
       AND status = 'running'
       AND locked_by = ${fence.workerId}
       AND attempt = ${fence.attempt}::int`;
  if (updated === 0) throw new LeaseLostError(fence.jobId);
}
