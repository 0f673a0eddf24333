import { setTimeout as sleep } from 'node:timers/promises';
import type { Connector } from '../../src/connectors/contract.ts';
import type { MarketplaceSyncJob, PrismaClient } from '../../src/generated/prisma/client.ts';
import type { SyncDirection } from '../../src/generated/prisma/enums.ts';
import type { JobContext, JobHandler, JobOutcome } from '../../src/sync/job-context.ts';
import type { OpenConnector } from '../../src/sync/worker.ts';

/**
 * Test doubles for the job runner: a handler that processes N "pages" through
 * ctx.commit, each page writing products whose SKU names the job, the attempt and
 * the page, so a page committed twice shows up as extra rows.
 */
export interface PagedHandlerOptions {
  pages: number;
  itemsPerPage?: number;
  /** Work done before each page's commit (a marketplace call), aborted with the job's signal. */
  pageDelayMs?: number;
  /** Called before each page's commit; may throw to fail the attempt. */
  beforePage?: (ctx: JobContext, page: number) => Promise<void> | void;
  /** Called after each page's commit. */
  afterPage?: (ctx: JobContext, page: number) => Promise<void> | void;
  outcome?: Partial<JobOutcome>;
}

export interface HandlerTracker {
  /** Handler invocations per job id. */
  starts: Map<string, number>;
  running: Map<string, string>;
  maxRunning: number;
  /** Largest number of jobs of one integration running at once. */
  maxRunningPerIntegration: number;
}

export function newTracker(): HandlerTracker {
  return { starts: new Map(), running: new Map(), maxRunning: 0, maxRunningPerIntegration: 0 };
}

export interface PageCheckpoint {
  page: number;
}

export function pagedHandler(options: PagedHandlerOptions, tracker: HandlerTracker = newTracker()): JobHandler {
  const itemsPerPage = options.itemsPerPage ?? 2;
  return async (ctx) => {
    const { job } = ctx;
    tracker.starts.set(job.id, (tracker.starts.get(job.id) ?? 0) + 1);
    tracker.running.set(job.id, job.integrationId);
    tracker.maxRunning = Math.max(tracker.maxRunning, tracker.running.size);
    const sameIntegration = [...tracker.running.values()].filter((id) => id === job.integrationId).length;
    tracker.maxRunningPerIntegration = Math.max(tracker.maxRunningPerIntegration, sameIntegration);
    try {
      let page = (job.checkpoint as PageCheckpoint | null)?.page ?? 0;
      while (page < options.pages) {
        const next = page + 1;
        if (options.pageDelayMs) await sleep(options.pageDelayMs, undefined, { signal: ctx.signal });
        await options.beforePage?.(ctx, next);
        await ctx.commit(async (tx) => {
          await tx.product.createMany({
            data: Array.from({ length: itemsPerPage }, (_, i) => ({
              userId: job.userId,
              sku: pageSku(job.id, job.attempt, next, i),
              title: `page ${next} item ${i}`,
              price: '1.00',
              currency: 'EUR',
            })),
          });
          return {
            checkpoint: { page: next } satisfies PageCheckpoint,
            progress: { phase: 'products', processed: next * itemsPerPage, total: options.pages * itemsPerPage },
            counts: { created: itemsPerPage },
            value: undefined,
          };
        });
        page = next;
        await options.afterPage?.(ctx, next);
      }
      return {
        results: { pages: options.pages },
        itemFailures: 0,
        warnings: [],
        cursors: { products: { page } },
        productsSynced: options.pages * itemsPerPage,
        ordersSynced: 0,
        ...options.outcome,
      };
    } finally {
      tracker.running.delete(job.id);
    }
  };
}

export function pageSku(jobId: string, attempt: number, page: number, item: number): string {
  return `${jobId}:a${attempt}:p${page}:i${item}`;
}

/** Products written per page of a job, whatever the attempt: exactly itemsPerPage each when no page was redone. */
export async function rowsPerPage(prisma: PrismaClient, jobId: string): Promise<Map<number, number>> {
  const products = await prisma.product.findMany({ where: { sku: { startsWith: `${jobId}:` } }, select: { sku: true } });
  const pages = new Map<number, number>();
  for (const { sku } of products) {
    const page = Number(/:p(\d+):/.exec(sku)?.[1]);
    pages.set(page, (pages.get(page) ?? 0) + 1);
  }
  return pages;
}

/** The test handlers never call the marketplace. */
export const stubConnector = {} as Connector;
export const openStubConnector: OpenConnector = async () => stubConnector;

let seedCounter = 0;

export async function seedUser(prisma: PrismaClient) {
  return prisma.user.create({ data: { email: `sync-${++seedCounter}-${Date.now()}@example.com` } });
}

export async function seedSyncIntegration(
  prisma: PrismaClient,
  userId: string,
  data: {
    status?: 'connected' | 'syncing' | 'error' | 'disconnected';
    autoSyncEnabled?: boolean;
    syncFrequencyMinutes?: number;
    nextSyncAt?: Date | null;
    syncDirection?: SyncDirection;
    cursors?: object;
  } = {},
) {
  return prisma.marketplaceIntegration.create({
    data: {
      userId,
      platform: 'etsy',
      accountKey: `acct-${++seedCounter}-${Math.random().toString(36).slice(2)}`,
      displayName: `shop ${seedCounter}`,
      autoSyncEnabled: false,
      ...data,
    },
  });
}

export async function seedJob(
  prisma: PrismaClient,
  integration: { id: string; userId: string },
  data: Partial<Pick<MarketplaceSyncJob, 'maxAttempts' | 'status'>> = {},
) {
  return prisma.marketplaceSyncJob.create({
    data: { userId: integration.userId, integrationId: integration.id, type: 'products', direction: 'pull', trigger: 'manual', ...data },
  });
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export async function waitForJob(
  prisma: PrismaClient,
  jobId: string,
  accept: (job: MarketplaceSyncJob) => boolean,
  timeoutMs = 10_000,
): Promise<MarketplaceSyncJob> {
  return waitFor(
    async () => {
      const job = await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: jobId } });
      return accept(job) ? job : undefined;
    },
    timeoutMs,
    `job ${jobId}`,
  );
}

export const isEnded = (job: MarketplaceSyncJob) => ['succeeded', 'partially_succeeded', 'failed', 'cancelled'].includes(job.status);
