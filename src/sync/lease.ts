import type { PrismaClient } from '../generated/prisma/client.ts';
import { interval } from './sql.ts';

export interface HeldLease {
  jobId: string;
  attempt: number;
}

/**
 * Extends the leases this worker still holds (fenced on locked_by and attempt) and
 * returns the ids renewed; a job missing from the answer was taken over or ended.
 */
export async function renewLeases(prisma: PrismaClient, workerId: string, leaseMs: number, held: HeldLease[]): Promise<Set<string>> {
  if (!held.length) return new Set();
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE marketplace_sync_jobs j
       SET lease_expires_at = now() + ${interval(leaseMs)}, heartbeat_at = now()
      FROM unnest(${held.map((h) => h.jobId)}::uuid[], ${held.map((h) => h.attempt)}::int[]) AS h(id, attempt)
     WHERE j.id = h.id AND j.attempt = h.attempt AND j.locked_by = ${workerId} AND j.status = 'running'
    RETURNING j.id`;
  return new Set(rows.map((row) => row.id));
}
