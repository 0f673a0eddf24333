import type { Connector } from '../connectors/contract.ts';
import type { TenantTransaction } from '../db/tenant.ts';
import type { EventPublisher } from '../events/publisher.ts';
import type { MarketplaceIntegration, PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { defaultRetryPolicy, retryDelayMs, type RetryPolicy } from './backoff.ts';
import { commitCheckpoint } from './checkpoint.ts';
import { claimNextJob, type ClaimedJob } from './claim.ts';
import { completeJob, endingOf, type JobEnding } from './complete.ts';
import { AttemptsExhaustedError, classifyFailure, WorkerStoppingError } from './failure.ts';
import {
  JobCancelledError,
  LeaseLostError,
  type CheckpointUpdate,
  type JobContext,
  type JobHandler,
} from './job-context.ts';
import { renewLeases } from './lease.ts';
import { createProgressThrottle, type ProgressThrottle } from './progress.ts';
import { requeueJob, type Requeue } from './requeue.ts';
import { publishTransition, type JobTransition } from './transition.ts';

/** Opens the integration's connector just in time (credentials decrypted for this job only). */
export type OpenConnector = (integration: MarketplaceIntegration, signal: AbortSignal) => Promise<Connector>;

export interface SyncWorkerOptions {
  /** The system client: claims are cross-tenant; job writes switch to the job's user. */
  prisma: PrismaClient;
  publisher: EventPublisher;
  logger: Logger;
  /** Unique per process: it fences every write of the jobs this worker holds. */
  workerId: string;
  /** Jobs run at once by this worker. */
  concurrency: number;
  leaseMs: number;
  /** How often to look for runnable jobs when idle. */
  pollMs: number;
  handler: JobHandler;
  openConnector: OpenConnector;
  retryPolicy?: RetryPolicy;
  /** Length of one sync_frequency_minutes unit (next sync time); a minute, shorter only in tests. */
  frequencyUnitMs?: number;
}

export interface SyncWorker {
  readonly workerId: string;
  start(): void;
  /**
   * Stops claiming; jobs in flight stop at their next checkpoint and go back to the
   * queue with their lease released. After `timeoutMs` their handlers are aborted
   * and their leases released anyway.
   */
  stop(timeoutMs?: number): Promise<void>;
  /** Ids of the jobs running now. */
  runningJobIds(): string[];
}

interface ActiveJob {
  claimed: ClaimedJob;
  controller: AbortController;
  progress: ProgressThrottle;
  logger: Logger;
  /** performance.now() of the last successful lease renewal. */
  renewedAt: number;
  leaseLost: boolean;
  /** The worker is stopping: leave at the next checkpoint. */
  interrupted: boolean;
  settling: boolean;
  done: Promise<void>;
}

type Next = { kind: 'complete'; ending: JobEnding } | { kind: 'requeue'; requeue: Requeue } | { kind: 'drop'; reason: string };

export function createSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const { prisma, publisher, logger, workerId, concurrency, leaseMs, pollMs, handler, openConnector } = options;
  const retryPolicy = options.retryPolicy ?? defaultRetryPolicy;
  const frequencyUnitMs = options.frequencyUnitMs ?? 60_000;
  const active = new Map<string, ActiveJob>();
  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  let claimLoop: Promise<void> = Promise.resolve();
  let heartbeat: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  let woken = false;
  let wake: (() => void) | undefined;

  /** Ends the claim loop's wait now (a slot freed, or stopping), or skips its next one. */
  function wakeUp() {
    woken = true;
    wake?.();
  }

  function idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        woken = false;
        resolve();
      };
      const timer = setTimeout(done, woken ? 0 : ms);
      wake = done;
    });
  }

  async function runClaimLoop() {
    while (state === 'running') {
      try {
        while (state === 'running' && active.size < concurrency) {
          const claimed = await claimNextJob(prisma, { workerId, leaseMs, runningJobIds: [...active.keys()] });
          if (!claimed) break;
          launch(claimed);
        }
      } catch (error) {
        logger.error({ err: error, workerId }, 'claiming sync jobs failed; trying again shortly');
      }
      if (state === 'running') await idle(pollMs);
    }
  }

  function launch(claimed: ClaimedJob) {
    const { job } = claimed;
    const entry: ActiveJob = {
      claimed,
      controller: new AbortController(),
      progress: createProgressThrottle((row) => publisher.syncJobUpdated(row)),
      logger: logger.child({ jobId: job.id, integrationId: job.integrationId, attempt: job.attempt, workerId }),
      renewedAt: performance.now(),
      leaseLost: false,
      // Claimed while stop() was waiting for the claim loop: hand it straight back.
      interrupted: state !== 'running',
      settling: false,
      done: Promise.resolve(),
    };
    active.set(job.id, entry);
    entry.progress.update(job);
    publisher.integrationUpdated(claimed.integration);
    publisher.eventLogAdded(claimed.started);
    entry.logger.info({ type: job.type, fromCheckpoint: job.checkpoint !== null }, 'sync job claimed');
    entry.done = runJob(entry)
      .catch((error: unknown) => entry.logger.error({ err: error }, 'sync job runner failed'))
      .finally(() => {
        active.delete(job.id);
        wakeUp();
      });
  }

  async function runJob(entry: ActiveJob) {
    let next: Next;
    try {
      next = { kind: 'complete', ending: endingOf(await execute(entry)) };
    } catch (error) {
      next = decide(entry, error);
    }
    await settle(entry, next);
  }

  async function execute(entry: ActiveJob) {
    const { claimed, controller } = entry;
    if (claimed.job.cancelRequestedAt) throw new JobCancelledError();
    // Only a lapsed lease (its worker died) claims a job past its last attempt.
    if (claimed.job.attempt > claimed.job.maxAttempts) throw new AttemptsExhaustedError(claimed.job.maxAttempts);
    const connector = await openConnector(claimed.integration, controller.signal);
    if (entry.interrupted) throw new WorkerStoppingError();
    const context: JobContext = {
      job: claimed.job,
      integration: claimed.integration,
      connector,
      prisma,
      logger: entry.logger,
      signal: controller.signal,
      commit: (work) => commit(entry, work),
    };
    return handler(context);
  }

  async function commit<T>(entry: ActiveJob, work: (tx: TenantTransaction) => Promise<CheckpointUpdate & { value: T }>): Promise<T> {
    if (entry.leaseLost) throw new LeaseLostError(entry.claimed.job.id);
    let committed;
    try {
      committed = await commitCheckpoint(prisma, entry.claimed.fence, leaseMs, work);
    } catch (error) {
      if (error instanceof LeaseLostError) loseLease(entry, 'another worker holds the job');
      throw error;
    }
    entry.renewedAt = performance.now();
    entry.progress.update(committed.job);
    if (committed.job.cancelRequestedAt) throw new JobCancelledError();
    if (entry.interrupted) throw new WorkerStoppingError();
    return committed.value;
  }

  function decide(entry: ActiveJob, error: unknown): Next {
    if (entry.leaseLost) return { kind: 'drop', reason: 'lease lost' };
    // Aborted by stop(): whatever the handler threw on the way out, the job goes back to the queue.
    if (entry.interrupted && entry.controller.signal.aborted) return { kind: 'requeue', requeue: { reason: 'stopping' } };
    const failure = classifyFailure(error);
    const attempt = entry.claimed.fence.attempt;
    switch (failure.kind) {
      case 'lease_lost':
        return { kind: 'drop', reason: 'lease lost' };
      case 'stopping':
        return { kind: 'requeue', requeue: { reason: 'stopping' } };
      case 'cancelled':
        return { kind: 'complete', ending: { status: 'cancelled' } };
      case 'rate_limited':
        return { kind: 'requeue', requeue: { reason: 'rate_limited', delayMs: failure.retryAfterSeconds * 1000, error: failure.error } };
      case 'permanent':
        return { kind: 'complete', ending: { status: 'failed', error: failure.error } };
      case 'retryable':
        entry.logger.warn({ err: error }, 'sync job attempt failed');
        return attempt < entry.claimed.job.maxAttempts
          ? { kind: 'requeue', requeue: { reason: 'backoff', delayMs: retryDelayMs(attempt, retryPolicy), error: failure.error } }
          : { kind: 'complete', ending: { status: 'failed', error: failure.error } };
    }
  }

  async function settle(entry: ActiveJob, next: Next) {
    if (next.kind === 'drop') {
      entry.logger.info({ reason: next.reason }, 'sync job dropped; its new owner finishes it');
      return;
    }
    entry.settling = true;
    const { fence } = entry.claimed;
    let transition: JobTransition;
    try {
      transition =
        next.kind === 'complete'
          ? await completeJob(prisma, fence, next.ending, { frequencyUnitMs })
          : await requeueJob(prisma, fence, next.requeue);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        entry.logger.info('sync job dropped at its end: another worker holds it now');
      } else {
        entry.logger.error({ err: error }, 'could not record the end of the sync job; it resumes from its checkpoint once its lease lapses');
      }
      return;
    }
    await entry.progress.finish(transition.job);
    publishTransition(publisher, transition);
    entry.logger.info(
      next.kind === 'complete' ? { status: transition.job.status } : { requeued: next.requeue.reason, runAfter: transition.job.runAfter },
      next.kind === 'complete' ? 'sync job ended' : 'sync job back in the queue',
    );
  }

  function loseLease(entry: ActiveJob, reason: string) {
    if (entry.leaseLost) return;
    entry.leaseLost = true;
    entry.logger.warn({ reason }, 'lost the lease on a sync job; stopping it');
    entry.controller.abort(new LeaseLostError(entry.claimed.job.id));
  }

  let beating = false;
  async function beat() {
    if (beating) return;
    beating = true;
    try {
      const held = [...active.values()].filter((entry) => !entry.leaseLost);
      try {
        const renewed = await renewLeases(
          prisma,
          workerId,
          leaseMs,
          held.map((entry) => ({ jobId: entry.claimed.fence.jobId, attempt: entry.claimed.fence.attempt })),
        );
        const now = performance.now();
        for (const entry of held) {
          if (renewed.has(entry.claimed.fence.jobId)) entry.renewedAt = now;
          // A job that just ended is no longer running: not a lost lease.
          else if (!entry.settling) loseLease(entry, 'another worker holds the job');
        }
      } catch (error) {
        logger.warn({ err: error, workerId }, 'renewing sync job leases failed');
      }
      // Unrenewed for a whole lease: another worker may have taken the job over already.
      for (const entry of active.values()) {
        if (!entry.settling && performance.now() - entry.renewedAt > leaseMs) loseLease(entry, 'lease lapsed without renewal');
      }
    } finally {
      beating = false;
    }
  }

  async function waitForJobs(ms: number) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...active.values()].map((entry) => entry.done)),
      new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, ms)))),
    ]);
    clearTimeout(timer);
  }

  async function shutDown(timeoutMs: number) {
    state = 'stopping';
    wakeUp();
    await claimLoop;
    const deadline = performance.now() + timeoutMs;
    const abortGraceMs = Math.min(1000, timeoutMs / 4);
    for (const entry of active.values()) entry.interrupted = true;
    await waitForJobs(deadline - abortGraceMs - performance.now());
    for (const entry of active.values()) entry.controller.abort(new WorkerStoppingError());
    await waitForJobs(deadline - performance.now());
    // Handlers that ignore their signal: release their jobs anyway; the fence stops their writes.
    await Promise.all(
      [...active.values()].map(async (entry) => {
        entry.leaseLost = true;
        entry.logger.warn('sync job did not stop in time; releasing its lease');
        await requeueJob(prisma, entry.claimed.fence, { reason: 'stopping' }).then(
          (transition) => {
            publisher.syncJobUpdated(transition.job);
            publishTransition(publisher, transition);
          },
          (error: unknown) => {
            // LeaseLostError: the handler's own ending got there first.
            if (!(error instanceof LeaseLostError)) entry.logger.error({ err: error }, 'could not release the lease; it lapses on its own');
          },
        );
      }),
    );
    clearInterval(heartbeat);
    state = 'stopped';
  }

  return {
    workerId,
    start() {
      if (state !== 'idle') return;
      state = 'running';
      heartbeat = setInterval(() => void beat(), Math.max(50, Math.floor(leaseMs / 3)));
      claimLoop = runClaimLoop();
      logger.info({ workerId, concurrency, leaseMs }, 'sync worker started');
    },
    stop(timeoutMs = 10_000) {
      if (state === 'idle') state = 'stopped';
      stopped ??= state === 'stopped' ? Promise.resolve() : shutDown(timeoutMs);
      return stopped;
    },
    runningJobIds: () => [...active.keys()],
  };
}
