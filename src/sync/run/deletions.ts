import type { TenantTransaction } from '../../db/tenant.ts';
import { writeEventLog } from '../../events/event-log.ts';
import type { IntegrationConfig } from '../../integrations/settings.ts';
import { bulkUpdate } from './bulk-sql.ts';

/**
 * Deletion detection that cannot wipe a catalog: a product missing from a
 * complete pull is only flagged (`missing`, missed_pulls + 1); its mapping is
 * marked deleted after `deletionMissThreshold` consecutive complete misses or an
 * explicit delete, and one job never marks more than `maxDeletionShare` of the
 * integration's mappings deleted — past that it stops, warns and logs
 * deletion_guard_triggered. The local product itself is never deleted here.
 */

export interface DeletionScope {
  tx: TenantTransaction;
  userId: string;
  integrationId: string;
  jobId: string;
  config: Pick<IntegrationConfig, 'deletionMissThreshold' | 'maxDeletionShare'>;
  /** Deletions this job already made (earlier commits), counted against the guard. */
  deletedSoFar: number;
}

export interface DeletionTally {
  missing: number;
  deleted: number;
  /** Mappings that qualified for deletion but were held back by the guard. */
  held: number;
  warning: string | null;
}

interface Miss {
  id: string;
  missedPulls: number;
}

const scanSize = 5000;

/** Flags every live mapping a complete listing did not return (created before it started). */
export async function sweepMissedMappings(scope: DeletionScope, seen: ReadonlySet<string>, listedFrom: Date): Promise<DeletionTally> {
  const misses: Miss[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await scope.tx.marketplaceProductMapping.findMany({
      where: { integrationId: scope.integrationId, status: { not: 'deleted' }, createdAt: { lt: listedFrom }, ...(after && { id: { gt: after } }) },
      select: { id: true, externalId: true, missedPulls: true },
      orderBy: { id: 'asc' },
      take: scanSize,
    });
    for (const row of rows) if (!seen.has(row.externalId)) misses.push(row);
    if (rows.length < scanSize) break;
    after = rows[rows.length - 1]!.id;
  }
  return applyMisses(scope, misses, false);
}

/** Mappings whose products the marketplace says are gone (deleted at once, within the guard). */
export async function markExplicitlyDeleted(scope: DeletionScope, mappingIds: string[]): Promise<DeletionTally> {
  return applyMisses(
    scope,
    mappingIds.map((id) => ({ id, missedPulls: 0 })),
    true,
  );
}

async function applyMisses(scope: DeletionScope, misses: Miss[], explicit: boolean): Promise<DeletionTally> {
  const tally: DeletionTally = { missing: 0, deleted: 0, held: 0, warning: null };
  if (misses.length === 0) return tally;
  const { tx, integrationId, config } = scope;
  const live = await tx.marketplaceProductMapping.count({ where: { integrationId, status: { not: 'deleted' } } });
  const allowed = Math.max(0, Math.floor(config.maxDeletionShare * (live + scope.deletedSoFar)) - scope.deletedSoFar);
  const rows = misses.map((miss) => {
    const missedPulls = miss.missedPulls + 1;
    const due = explicit || missedPulls >= config.deletionMissThreshold;
    if (due && tally.deleted < allowed) {
      tally.deleted += 1;
      return { id: miss.id, missed_pulls: missedPulls, status: 'deleted' };
    }
    if (due) tally.held += 1;
    tally.missing += 1;
    return { id: miss.id, missed_pulls: missedPulls, status: 'missing' };
  });
  await bulkUpdate(tx, 'marketplace_product_mappings', { missed_pulls: 'int', status: 'mapping_status' }, rows);
  if (tally.held > 0) {
    tally.warning =
      `Deletion guard: ${tally.held} product(s) the marketplace no longer lists were kept, ` +
      `because deleting them would exceed ${Math.round(config.maxDeletionShare * 100)} % of the integration's mappings in one job`;
    await writeEventLog(tx, {
      userId: scope.userId,
      integrationId,
      syncJobId: scope.jobId,
      type: 'deletion_guard_triggered',
      source: 'worker',
      severity: 'warning',
      message: tally.warning,
      data: { held: tally.held, deleted: tally.deleted, liveMappings: live, maxDeletionShare: config.maxDeletionShare },
    });
  }
  return tally;
}
