import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Hub } from '../hub.ts';
import type { JobHandler } from './job-context.ts';
import { createSyncScheduler, type SyncScheduler } from './scheduler.ts';
import { createSyncWorker, type OpenConnector, type SyncWorker } from './worker.ts';

export interface SyncEngineOptions {
  handler: JobHandler;
  openConnector: OpenConnector;
  /** Jobs run at once; defaults to SYNC_CONCURRENCY (0: no worker in this process). */
  concurrency?: number;
  /** Whether to run the scheduler; defaults to SCHEDULER_ENABLED. */
  scheduler?: boolean;
}

export interface SyncEngine {
  worker: SyncWorker | undefined;
  scheduler: SyncScheduler | undefined;
  /** Stops the scheduler, then the worker (jobs in flight go back to the queue at their checkpoint). */
  stop(timeoutMs: number): Promise<void>;
}

/** A worker id unique to this process, readable in the jobs table (locked_by). */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Starts the background sync: a worker pool and the scheduler, as configured. */
export function createSyncEngine(hub: Hub, options: SyncEngineOptions): SyncEngine {
  const { config, database, publisher, logger } = hub;
  const concurrency = options.concurrency ?? config.syncConcurrency;
  const leaseMs = config.syncLeaseSeconds * 1000;
  const worker =
    concurrency > 0
      ? createSyncWorker({
          prisma: database.prisma,
          publisher,
          logger,
          workerId: newWorkerId(),
          concurrency,
          leaseMs,
          pollMs: 1000,
          handler: options.handler,
          openConnector: options.openConnector,
        })
      : undefined;
  const scheduler =
    (options.scheduler ?? config.schedulerEnabled) ? createSyncScheduler({ prisma: database.prisma, publisher, logger }) : undefined;
  worker?.start();
  scheduler?.start();
  return {
    worker,
    scheduler,
    stop: async (timeoutMs) => {
      await scheduler?.stop();
      await worker?.stop(timeoutMs);
    },
  };
}
