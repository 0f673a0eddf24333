import { AppError, notFound } from '../errors.ts';
import type { MarketplaceSyncJob } from '../generated/prisma/client.ts';
import { SyncJobStatus, SyncJobTrigger, SyncJobType } from '../generated/prisma/enums.ts';
import { cancelSyncJob, isTerminal, retrySyncJob, startSync } from '../sync/jobs.ts';
import { builder } from './builder.ts';
import { optionalGlobalId, parseGlobalId } from './ids.ts';
import { SyncDirectionEnum } from './integration.ts';
import { liveAfterSnapshot } from './live.ts';

export const SyncJobTypeEnum = builder.enumType(SyncJobType, { name: 'SyncJobType' });
export const SyncJobStatusEnum = builder.enumType(SyncJobStatus, { name: 'SyncJobStatus' });
const SyncJobTriggerEnum = builder.enumType(SyncJobTrigger, { name: 'SyncJobTrigger' });

const SyncJobCounts = builder.objectRef<MarketplaceSyncJob>('SyncJobCounts').implement({
  fields: (t) => ({
    created: t.exposeInt('createdCount'),
    updated: t.exposeInt('updatedCount'),
    unchanged: t.exposeInt('unchangedCount'),
    skipped: t.exposeInt('skippedCount'),
    failed: t.exposeInt('failedCount'),
  }),
});

const SyncJobProgress = builder.objectRef<MarketplaceSyncJob>('SyncJobProgress').implement({
  fields: (t) => ({
    phase: t.exposeString('phase', { nullable: true }),
    processed: t.exposeInt('processed'),
    total: t.exposeInt('total', { nullable: true }),
    percent: t.float({
      nullable: true,
      description: 'processed / total × 100, when the total is known; 100 once the job succeeded.',
      resolve: (job) => progressPercent(job),
    }),
  }),
});

export const SyncJob = builder.prismaNode('MarketplaceSyncJob', {
  name: 'SyncJob',
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    integration: t.relation('integration'),
    type: t.field({ type: SyncJobTypeEnum, resolve: (j) => j.type }),
    direction: t.field({ type: SyncDirectionEnum, resolve: (j) => j.direction }),
    trigger: t.field({ type: SyncJobTriggerEnum, resolve: (j) => j.trigger }),
    status: t.field({ type: SyncJobStatusEnum, resolve: (j) => j.status }),
    progress: t.field({ type: SyncJobProgress, resolve: (j) => j }),
    counts: t.field({ type: SyncJobCounts, resolve: (j) => j }),
    attempt: t.exposeInt('attempt'),
    maxAttempts: t.exposeInt('maxAttempts'),
    runAfter: t.expose('runAfter', { type: 'DateTime' }),
    cancelRequested: t.boolean({ resolve: (j) => j.cancelRequestedAt !== null }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    durationMs: t.exposeInt('durationMs', { nullable: true }),
    error: t.expose('error', { type: 'JSON', nullable: true }),
    results: t.expose('results', { type: 'JSON', nullable: true }),
    retryOf: t.relation('retryOf', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    eventLogs: t.relatedConnection('eventLogs', {
      cursor: 'id',
      query: () => ({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});

builder.queryFields((t) => ({
  syncJobs: t.prismaConnection({
    type: 'MarketplaceSyncJob',
    cursor: 'id',
    description: 'Sync jobs, newest first.',
    args: {
      integrationId: t.arg.id(),
      status: t.arg({ type: SyncJobStatusEnum }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.marketplaceSyncJob.findMany({
        ...query,
        where: {
          userId: ctx.viewer.userId,
          integrationId: optionalGlobalId(args.integrationId, 'Integration', 'integrationId'),
          status: args.status ?? undefined,
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  syncJob: t.prismaField({
    type: 'MarketplaceSyncJob',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'SyncJob', 'id');
      const job = await ctx.db.marketplaceSyncJob.findFirst({ ...query, where: { id, userId: ctx.viewer.userId } });
      if (!job) throw notFound('Sync job');
      return job;
    },
  }),
}));

builder.mutationFields((t) => ({
  startSync: t.prismaField({
    type: 'MarketplaceSyncJob',
    description: 'Queues a sync and returns the job; watch it with syncJobUpdated.',
    args: {
      integrationId: t.arg.id({ required: true }),
      type: t.arg({ type: SyncJobTypeEnum, required: true }),
      direction: t.arg({ type: SyncDirectionEnum, description: "Defaults to the integration's direction." }),
    },
    resolve: async (query, _root, args, ctx) => {
      const integrationId = parseGlobalId(String(args.integrationId), 'Integration', 'integrationId');
      await ctx.hub.rateLimits.consume('startSync', ctx.viewer.userId);
      const job = await startSync(ctx.hub, ctx.viewer, { integrationId, type: args.type, direction: args.direction }, ctx.requestId);
      return ctx.db.marketplaceSyncJob.findUniqueOrThrow({ ...query, where: { id: job.id } });
    },
  }),
  cancelSyncJob: t.prismaField({
    type: 'MarketplaceSyncJob',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'SyncJob', 'id');
      await cancelSyncJob(ctx.hub, ctx.viewer, id, ctx.requestId);
      return ctx.db.marketplaceSyncJob.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  retrySyncJob: t.prismaField({
    type: 'MarketplaceSyncJob',
    description: 'Queues a new attempt of a failed, cancelled or partially succeeded job.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'SyncJob', 'id');
      const job = await retrySyncJob(ctx.hub, ctx.viewer, id, ctx.requestId);
      return ctx.db.marketplaceSyncJob.findUniqueOrThrow({ ...query, where: { id: job.id } });
    },
  }),
}));

builder.subscriptionFields((t) => ({
  syncJobUpdated: t.field({
    type: SyncJob,
    description:
      "With jobId: the job's state now, then each update until it ends (the final state is always delivered). With integrationId: the integration's queued and running jobs now, then every update of its jobs.",
    args: { jobId: t.arg.id(), integrationId: t.arg.id() },
    subscribe: async (_root, args, ctx) => {
      if (Boolean(args.jobId) === Boolean(args.integrationId)) {
        throw new AppError('BAD_USER_INPUT', 'Give either jobId or integrationId.', {
          fieldErrors: [{ path: ['jobId'], message: 'give either jobId or integrationId' }],
        });
      }
      const userId = ctx.viewer.userId;
      if (args.jobId) {
        const id = parseGlobalId(String(args.jobId), 'SyncJob', 'jobId');
        const load = () => ctx.db.marketplaceSyncJob.findFirst({ where: { id, userId } });
        if (!(await load())) throw notFound('Sync job');
        return liveAfterSnapshot(ctx.hub.publisher.subscribe('syncJob:updated', id), load, {
          isNewer: jobUpdateIsNewer,
          belongsToViewer: (update) => update.userId === userId,
          isFinal: (job) => isTerminal(job.status),
        });
      }
      const integrationId = parseGlobalId(String(args.integrationId), 'Integration', 'integrationId');
      if (!(await ctx.db.marketplaceIntegration.findFirst({ where: { id: integrationId, userId } }))) throw notFound('Integration');
      return integrationJobs(ctx.hub.publisher.subscribe('integration:jobUpdated', integrationId), () =>
        ctx.db.marketplaceSyncJob.findMany({
          where: { integrationId, userId, status: { in: ['queued', 'running'] } },
          orderBy: { createdAt: 'asc' },
        }),
      userId);
    },
    resolve: (job) => job as never,
  }),
}));

async function* integrationJobs(
  live: AsyncIterable<MarketplaceSyncJob>,
  loadActive: () => Promise<MarketplaceSyncJob[]>,
  userId: string,
): AsyncGenerator<MarketplaceSyncJob> {
  const iterator = live[Symbol.asyncIterator]();
  let pending = iterator.next();
  try {
    const sent = new Map<string, MarketplaceSyncJob>();
    for (const job of await loadActive()) {
      sent.set(job.id, job);
      yield job;
    }
    while (true) {
      const next = await pending;
      if (next.done) return;
      pending = iterator.next();
      const job = next.value;
      const previous = sent.get(job.id);
      if (job.userId !== userId || (previous && !jobUpdateIsNewer(job, previous))) continue;
      sent.set(job.id, job);
      yield job;
    }
  } finally {
    await iterator.return?.();
  }
}

/** Timestamps have millisecond precision: same-millisecond updates still count when they change something. */
function jobUpdateIsNewer(update: MarketplaceSyncJob, last: MarketplaceSyncJob): boolean {
  const delta = new Date(update.updatedAt).getTime() - new Date(last.updatedAt).getTime();
  return delta > 0 || (delta === 0 && (update.status !== last.status || update.processed !== last.processed));
}

export function progressPercent(job: Pick<MarketplaceSyncJob, 'status' | 'processed' | 'total'>): number | null {
  if (job.status === 'succeeded') return 100;
  if (!job.total) return null;
  return Math.min(100, Math.round((job.processed / job.total) * 1000) / 10);
}
