import { integrationConfigSchema, type IntegrationConfig } from '../../integrations/settings.ts';
import type { JobContext, JobHandler, JobOutcome } from '../job-context.ts';
import { pullInventory } from './inventory-pull.ts';
import { pushInventory } from './inventory-push.ts';
import type { MergePolicy } from './merge.ts';
import { pullOrders } from './orders-pull.ts';
import { planPhases } from './phases.ts';
import { RunLedger, type PhaseRun } from './phase-run.ts';
import { pullProducts } from './products-pull.ts';
import { pushProducts } from './products-push.ts';
import { freshCheckpoint, resumedCheckpoint, type PhaseName, type RunCheckpoint } from './run-checkpoint.ts';

/**
 * The sync semantics behind the JobContext seam: runs a job's phases (products /
 * orders / inventory, pulled and / or pushed) from wherever its last attempt
 * committed, and reports what it did. Claiming, leases, retries and completion
 * are the runner's.
 */
export const runSyncJob: JobHandler = async (context) => {
  const config = integrationConfigSchema.parse(context.integration.config ?? {});
  const phases = planPhases(context.job.type, context.job.direction, context.connector.capabilities);
  const ledger = new RunLedger(context, resumedCheckpoint(context.job.checkpoint, phases) ?? freshCheckpoint(phases));
  const policy = mergePolicy(context, config);
  while (ledger.checkpoint.current < phases.length) {
    const name = phases[ledger.checkpoint.current]!;
    await runPhase(name, ledger.phase(name, config), policy);
    await ledger.advance();
  }
  return outcomeOf(ledger.checkpoint);
};

function runPhase(name: PhaseName, run: PhaseRun<never>, policy: MergePolicy): Promise<void> {
  switch (name) {
    case 'products-pull':
      return pullProducts(run, policy);
    case 'products-push':
      return pushProducts(run);
    case 'inventory-pull':
      return pullInventory(run);
    case 'inventory-push':
      return pushInventory(run);
    case 'orders-pull':
      return pullOrders(run);
  }
}

function mergePolicy(context: JobContext, config: IntegrationConfig): MergePolicy {
  return {
    mode: context.job.direction === 'pull' ? 'pull' : 'bidirectional',
    conflictPolicy: config.conflictPolicy,
    conflictRules: config.conflictRules,
    marketplaceOwnsStock: context.connector.capabilities.marketplaceOwnsStock,
  };
}

const productPhases: PhaseName[] = ['products-pull', 'products-push', 'inventory-pull', 'inventory-push'];

function outcomeOf(checkpoint: RunCheckpoint): JobOutcome {
  const synced = (names: PhaseName[]) =>
    names.reduce((sum, name) => sum + (checkpoint.results[name]?.created ?? 0) + (checkpoint.results[name]?.updated ?? 0), 0);
  return {
    results: {
      phases: checkpoint.results,
      failures: checkpoint.failures,
      failureCount: checkpoint.failureCount,
      warnings: checkpoint.warnings,
    },
    itemFailures: checkpoint.failureCount,
    warnings: checkpoint.warnings,
    cursors: checkpoint.cursors,
    productsSynced: synced(productPhases),
    ordersSynced: synced(['orders-pull']),
  };
}
