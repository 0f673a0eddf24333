import type { Connector } from '../../connectors/contract.ts';
import { forUser, type TenantClient, type TenantTransaction } from '../../db/tenant.ts';
import type { IntegrationConfig } from '../../integrations/settings.ts';
import type { JobContext, JobCounts } from '../job-context.ts';
import { emptyPhaseResult, keptFailures, type ItemFailure, type PhaseName, type PhaseResult, type RunCheckpoint } from './run-checkpoint.ts';

/** What one commit of a phase reports besides its writes; tallies are added, not set. */
export interface PhaseStep<S, T = void> {
  /** The phase's resume state after this commit. */
  state: S;
  value?: T;
  /** Created / updated / unchanged / skipped; failed is counted from `failures`. */
  counts?: Partial<Omit<JobCounts, 'failed'>>;
  /** Items this step finished (progress). */
  processed?: number;
  /** Items the phase expects in all, when known. */
  total?: number | null;
  figures?: Record<string, number>;
  notes?: string[];
  warnings?: string[];
  failures?: ItemFailure[];
  cursors?: Record<string, unknown>;
}

/** A phase's view of the job: its resume state and a commit that keeps the checkpoint in step. */
export interface PhaseRun<S> {
  name: PhaseName;
  context: JobContext;
  config: IntegrationConfig;
  userId: string;
  integrationId: string;
  /** The connector, with calls counted into the phase's `apiCalls` figure. */
  connector: Connector;
  /** Reads as the job's user (RLS), outside any unit of work. */
  reader: TenantClient;
  /** The state the last attempt committed for this phase; null on the phase's first run. */
  resumed: S | null;
  /** The job's saved cursors merged with this job's updates so far. */
  cursor(stream: string): unknown;
  commit<T = void>(work: (tx: TenantTransaction) => Promise<PhaseStep<S, T>>): Promise<T | undefined>;
}

/** Holds the job's checkpoint in memory, changing it only once a commit has gone through. */
export class RunLedger {
  private callsSinceCommit = 0;
  readonly reader: TenantClient;

  constructor(
    private readonly context: JobContext,
    public checkpoint: RunCheckpoint,
  ) {
    this.reader = forUser(context.prisma, context.job.userId);
  }

  phase<S>(name: PhaseName, config: IntegrationConfig): PhaseRun<S> {
    const { context } = this;
    const savedCursors = (context.integration.cursors ?? {}) as Record<string, unknown>;
    return {
      name,
      context,
      config,
      userId: context.job.userId,
      integrationId: context.integration.id,
      connector: this.countCalls(context.connector),
      reader: this.reader,
      resumed: (this.checkpoint.state as S | null) ?? null,
      cursor: (stream) => this.checkpoint.cursors[stream] ?? savedCursors[stream],
      commit: (work) => this.commit(name, work),
    };
  }

  /** Moves on to the next phase (its own small transaction: a phase may end without writes). */
  async advance(): Promise<void> {
    const next: RunCheckpoint = { ...this.checkpoint, current: this.checkpoint.current + 1, state: null };
    const phase = next.phases[next.current];
    await this.context.commit(async () => ({
      checkpoint: next,
      value: undefined,
      progress: phase ? { phase, processed: 0, total: null } : undefined,
    }));
    this.checkpoint = next;
  }

  private async commit<S, T>(name: PhaseName, work: (tx: TenantTransaction) => Promise<PhaseStep<S, T>>): Promise<T | undefined> {
    const calls = this.callsSinceCommit;
    let next: RunCheckpoint | undefined;
    const value = await this.context.commit(async (tx) => {
      const step = await work(tx);
      next = applyStep(this.checkpoint, name, step, calls);
      const result = next.results[name]!;
      return {
        checkpoint: next,
        value: step.value,
        counts: { ...step.counts, failed: step.failures?.length ?? 0 },
        progress: { phase: name, processed: result.processed, total: result.total },
      };
    });
    this.callsSinceCommit -= calls;
    this.checkpoint = next!;
    return value;
  }

  private countCalls(connector: Connector): Connector {
    const counted = {
      limits: connector.limits,
      capabilities: connector.capabilities,
    } as Record<string, unknown>;
    for (const method of [
      'listProducts',
      'getProduct',
      'findProductsBySku',
      'createProducts',
      'updateProducts',
      'updateStock',
      'listOrders',
      'getOrder',
    ] as const) {
      counted[method] = (...args: unknown[]) => {
        this.callsSinceCommit += 1;
        return (connector[method] as (...a: unknown[]) => unknown).apply(connector, args);
      };
    }
    return counted as unknown as Connector;
  }
}

function applyStep<S, T>(checkpoint: RunCheckpoint, name: PhaseName, step: PhaseStep<S, T>, calls: number): RunCheckpoint {
  const previous = checkpoint.results[name] ?? emptyPhaseResult();
  const result: PhaseResult = {
    ...previous,
    processed: previous.processed + (step.processed ?? 0),
    total: step.total !== undefined ? step.total : previous.total,
    figures: { ...previous.figures },
    notes: [...previous.notes, ...(step.notes ?? [])],
  };
  for (const key of ['created', 'updated', 'unchanged', 'skipped'] as const) result[key] += step.counts?.[key] ?? 0;
  const failures = step.failures ?? [];
  result.failed += failures.length;
  for (const [key, added] of Object.entries({ ...step.figures, apiCalls: calls })) {
    result.figures[key] = (result.figures[key] ?? 0) + added;
  }
  return {
    ...checkpoint,
    state: step.state,
    results: { ...checkpoint.results, [name]: result },
    cursors: { ...checkpoint.cursors, ...step.cursors },
    warnings: [...checkpoint.warnings, ...(step.warnings ?? [])],
    failures: [...checkpoint.failures, ...failures].slice(0, keptFailures),
    failureCount: checkpoint.failureCount + failures.length,
  };
}
