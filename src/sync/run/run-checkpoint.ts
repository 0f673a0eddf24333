import type { JobCounts } from '../job-context.ts';

/**
 * What a sync job saves on its row after every page or batch (the runner stores
 * it with the page's writes in one transaction): the planned phases, where the
 * current phase stands, and the tallies a resumed attempt continues from.
 */

export type PhaseName = 'products-pull' | 'orders-pull' | 'products-push' | 'inventory-pull' | 'inventory-push';

export interface PhaseResult extends JobCounts {
  processed: number;
  total: number | null;
  /** Phase-specific figures: pages, linked, conflicts, missing, deleted, apiCalls… */
  figures: Record<string, number>;
  notes: string[];
}

export interface ItemFailure {
  phase: PhaseName;
  sku?: string;
  externalId?: string;
  error: string;
}

export interface RunCheckpoint {
  version: 1;
  phases: PhaseName[];
  /** Index in `phases` of the phase in progress; phases.length once all are done. */
  current: number;
  /** The current phase's own resume state (its cursor, pending batch…); null at its start. */
  state: unknown;
  results: Partial<Record<PhaseName, PhaseResult>>;
  /** Stream cursors to hand to the runner when the job completes. */
  cursors: Record<string, unknown>;
  warnings: string[];
  /** The first failures, for the job's results; `failureCount` counts them all. */
  failures: ItemFailure[];
  failureCount: number;
}

export const keptFailures = 50;

export function freshCheckpoint(phases: PhaseName[]): RunCheckpoint {
  return { version: 1, phases, current: 0, state: null, results: {}, cursors: {}, warnings: [], failures: [], failureCount: 0 };
}

export function emptyPhaseResult(): PhaseResult {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, processed: 0, total: null, figures: {}, notes: [] };
}

/** The checkpoint a previous attempt of this job committed, when it planned the same phases. */
export function resumedCheckpoint(saved: unknown, phases: PhaseName[]): RunCheckpoint | null {
  if (!saved || typeof saved !== 'object') return null;
  const checkpoint = saved as Partial<RunCheckpoint>;
  if (checkpoint.version !== 1 || !Array.isArray(checkpoint.phases)) return null;
  if (checkpoint.phases.join() !== phases.join()) return null;
  return checkpoint as RunCheckpoint;
}
