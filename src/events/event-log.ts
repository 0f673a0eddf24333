import type { EventSeverity, EventSource, EventType } from '../generated/prisma/enums.ts';
import type { MarketplaceEventLog } from '../generated/prisma/client.ts';
import type { TenantTransaction } from '../db/tenant.ts';

export interface EventLogEntry {
  userId: string;
  type: EventType;
  source: EventSource;
  severity?: EventSeverity;
  message: string;
  integrationId?: string | null;
  syncJobId?: string | null;
  /** Non-secret facts only (counts, ids, field names); never credentials. */
  data?: Record<string, unknown>;
  correlationId?: string;
}

/** Writes one event log entry in the caller's transaction; publish it after commit. */
export function writeEventLog(tx: TenantTransaction, entry: EventLogEntry): Promise<MarketplaceEventLog> {
  return tx.marketplaceEventLog.create({
    data: {
      userId: entry.userId,
      type: entry.type,
      source: entry.source,
      severity: entry.severity ?? 'info',
      message: entry.message,
      integrationId: entry.integrationId ?? null,
      syncJobId: entry.syncJobId ?? null,
      data: (entry.data ?? {}) as object,
      correlationId: entry.correlationId ?? null,
    },
  });
}

export const severityRank: Record<EventSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export function severitiesAtLeast(min: EventSeverity): EventSeverity[] {
  return (Object.keys(severityRank) as EventSeverity[]).filter((s) => severityRank[s] >= severityRank[min]);
}
