import type { Connector } from '../connectors/contract.ts';
import type { TenantTransaction } from '../db/tenant.ts';
import type { MarketplaceIntegration, MarketplaceSyncJob, PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';

/**
 * The seam between the job runner (claiming, leases, retries, completion) and the
 * sync semantics (what a products / orders / inventory / full job does).
 */

export interface JobCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

export interface JobProgress {
  phase: string;
  processed: number;
  total: number | null;
}

/** What a unit of work committed with its checkpoint: where to resume and how far the job got. */
export interface CheckpointUpdate {
  checkpoint: unknown;
  progress?: Partial<JobProgress>;
  /** Added to the job's counts. */
  counts?: Partial<JobCounts>;
}

export interface JobContext {
  /** The claimed row; `checkpoint` holds what the last attempt committed (null on a first run). */
  job: MarketplaceSyncJob;
  integration: MarketplaceIntegration;
  connector: Connector;
  /** The system client (cross-tenant); tenant writes go through `commit`. */
  prisma: PrismaClient;
  logger: Logger;
  /** Aborted when the job must stop at once (lease lost, shutdown). */
  signal: AbortSignal;
  /**
   * Runs `work` in one transaction as the job's user (RLS applies) and saves the
   * checkpoint, progress and counts it returns in that same transaction, fenced
   * on this worker's lease: a page's writes and its checkpoint commit together or
   * not at all. Renews the lease; publishes progress (throttled). Throws
   * JobCancelledError after committing when a cancel was requested, and
   * LeaseLostError (rolling back) when another worker took the job over.
   */
  commit<T>(work: (tx: TenantTransaction) => Promise<CheckpointUpdate & { value: T }>): Promise<T>;
}

/** What a finished handler reports; the runner stores it with the job's final state. */
export interface JobOutcome {
  /** Stored as the job's results JSON (per-phase figures, warnings, item failures). */
  results: Record<string, unknown>;
  /** Items that failed without failing the job: > 0 ends the job partially succeeded. */
  itemFailures: number;
  /** Warnings that also end the job partially succeeded (e.g. the deletion guard tripped). */
  warnings: string[];
  /** Cursor updates merged into the integration's cursors when the job completes. */
  cursors?: Record<string, unknown>;
  productsSynced: number;
  ordersSynced: number;
}

export type JobHandler = (context: JobContext) => Promise<JobOutcome>;

export class JobCancelledError extends Error {
  constructor() {
    super('The sync job was cancelled.');
    this.name = 'JobCancelledError';
  }
}

export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Lost the lease on sync job ${jobId}; another worker resumes it.`);
    this.name = 'LeaseLostError';
  }
}
