import { connectMarketplace, type ConnectInput } from '../integrations/connect.ts';
import { disconnectMarketplace, updateIntegration } from '../integrations/manage.ts';
import { IntegrationStatus, SyncDirection } from '../generated/prisma/enums.ts';
import type { PublishedIntegration } from '../events/publisher.ts';
import { notFound } from '../errors.ts';
import { builder } from './builder.ts';
import { parseGlobalId } from './ids.ts';
import { PlatformEnum } from './platform.ts';
import { liveAfterSnapshot } from './live.ts';
import { SyncJob } from './sync-job.ts';

export const IntegrationStatusEnum = builder.enumType(IntegrationStatus, { name: 'IntegrationStatus' });
export const SyncDirectionEnum = builder.enumType(SyncDirection, {
  name: 'SyncDirection',
  description: 'push: local → marketplace; pull: marketplace → local; bidirectional: pull then push, merging.',
});

const IntegrationStats = builder
  .objectRef<PublishedIntegration>('IntegrationStats')
  .implement({
    fields: (t) => ({
      products: t.exposeInt('totalProductsSynced', { description: 'Products synced, all jobs together.' }),
      orders: t.exposeInt('totalOrdersSynced'),
      syncs: t.exposeInt('totalSyncCount'),
      failures: t.exposeInt('failedSyncCount'),
    }),
  });

export const Integration = builder.prismaNode('MarketplaceIntegration', {
  name: 'Integration',
  id: { field: 'id' },
  nullable: true,
  description: 'A connected marketplace account. Credentials are write-only: only their presence is exposed.',
  fields: (t) => ({
    platform: t.field({ type: PlatformEnum, resolve: (i) => i.platform }),
    name: t.exposeString('displayName'),
    status: t.field({ type: IntegrationStatusEnum, resolve: (i) => i.status }),
    shopId: t.exposeString('shopId', { nullable: true }),
    shopUrl: t.exposeString('shopUrl', { nullable: true }),
    sellerId: t.exposeString('sellerId', { nullable: true }),
    marketplace: t.exposeString('marketplace', { nullable: true }),
    direction: t.field({ type: SyncDirectionEnum, resolve: (i) => i.syncDirection }),
    autoSyncEnabled: t.exposeBoolean('autoSyncEnabled'),
    syncFrequencyMinutes: t.exposeInt('syncFrequencyMinutes'),
    config: t.expose('config', { type: 'JSON', description: 'Conflict rules and platform options (never credentials).' }),
    hasCredentials: t.boolean({ resolve: (i) => i.credentialsKeyId !== null }),
    credentialFields: t.exposeStringList('credentialFields', { description: 'Names of the credential fields stored.' }),
    credentialHint: t.exposeString('credentialHint', { nullable: true, description: 'A masked hint, e.g. "api_key ••••a1b2".' }),
    lastSyncAt: t.expose('lastSyncAt', { type: 'DateTime', nullable: true }),
    nextSyncAt: t.expose('nextSyncAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    stats: t.field({ type: IntegrationStats, resolve: (i) => i }),
    connectedAt: t.expose('connectedAt', { type: 'DateTime' }),
    disconnectedAt: t.expose('disconnectedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    runningJob: t.field({
      type: SyncJob,
      nullable: true,
      select: { syncJobs: { where: { status: 'running' }, take: 1 } },
      resolve: (integration) => integration.syncJobs[0] ?? null,
    }),
    recentJobs: t.relation('syncJobs', {
      args: { limit: t.arg.int({ defaultValue: 10, description: 'At most 50.' }) },
      query: (args) => ({
        take: Math.min(Math.max(args.limit ?? 10, 1), 50),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    }),
    syncJobs: t.relatedConnection('syncJobs', {
      cursor: 'id',
      query: () => ({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    webhooks: t.relation('webhooks', { query: { orderBy: { createdAt: 'asc' } } }),
    eventLogs: t.relatedConnection('eventLogs', {
      cursor: 'id',
      query: () => ({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    openConflictCount: t.relationCount('conflicts', { where: { status: 'open' } }),
  }),
});

const IntegrationSettingsInput = builder.inputType('IntegrationSettingsInput', {
  fields: (t) => ({
    name: t.string(),
    direction: t.field({ type: SyncDirectionEnum }),
    autoSyncEnabled: t.boolean(),
    syncFrequencyMinutes: t.int({ description: '5 to 10080.' }),
    config: t.field({
      type: 'JSON',
      description:
        'Merged into the current config: conflictPolicy (last_write_wins | manual), conflictRules ({field: local | marketplace | newest}), deletionMissThreshold, maxDeletionShare. null resets a key.',
    }),
  }),
});

builder.queryFields((t) => ({
  integrations: t.prismaConnection({
    type: 'MarketplaceIntegration',
    cursor: 'id',
    description: 'Your integrations, newest first.',
    args: {
      platform: t.arg({ type: PlatformEnum }),
      status: t.arg({ type: IntegrationStatusEnum }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.marketplaceIntegration.findMany({
        ...query,
        where: { userId: ctx.viewer.userId, platform: args.platform ?? undefined, status: args.status ?? undefined },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  integration: t.prismaField({
    type: 'MarketplaceIntegration',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Integration', 'id');
      const integration = await ctx.db.marketplaceIntegration.findFirst({ ...query, where: { id, userId: ctx.viewer.userId } });
      if (!integration) throw notFound('Integration');
      return integration;
    },
  }),
}));

builder.mutationFields((t) => ({
  connectMarketplace: t.prismaField({
    type: 'MarketplaceIntegration',
    description:
      "Connects a marketplace account. The platform's connector verifies the credentials against the marketplace before anything is stored; connecting the same account again updates it.",
    args: {
      platform: t.arg({ type: PlatformEnum, required: true }),
      credentials: t.arg({ type: 'JSON', required: true, description: 'Field name → value, per platforms.credentialFields.' }),
      config: t.arg({ type: 'JSON' }),
      name: t.arg.string(),
      direction: t.arg({ type: SyncDirectionEnum }),
      autoSyncEnabled: t.arg.boolean(),
      syncFrequencyMinutes: t.arg.int(),
    },
    resolve: async (query, _root, args, ctx) => {
      await ctx.hub.rateLimits.consume('connectMarketplace', ctx.viewer.userId);
      const input: ConnectInput = {
        platform: args.platform,
        credentials: args.credentials,
        config: args.config,
        displayName: args.name,
        syncDirection: args.direction,
        autoSyncEnabled: args.autoSyncEnabled,
        syncFrequencyMinutes: args.syncFrequencyMinutes,
      };
      const integration = await connectMarketplace(ctx.hub, ctx.viewer, input, ctx.requestId);
      return ctx.db.marketplaceIntegration.findUniqueOrThrow({ ...query, where: { id: integration.id } });
    },
  }),
  updateIntegration: t.prismaField({
    type: 'MarketplaceIntegration',
    args: {
      id: t.arg.id({ required: true }),
      settings: t.arg({ type: IntegrationSettingsInput, required: true }),
    },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Integration', 'id');
      const { name, direction, config, ...rest } = args.settings;
      await updateIntegration(
        ctx.hub,
        ctx.viewer,
        id,
        { ...rest, displayName: name, syncDirection: direction, config: config as Record<string, unknown> | null | undefined },
        ctx.requestId,
      );
      return ctx.db.marketplaceIntegration.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  disconnectMarketplace: t.prismaField({
    type: 'MarketplaceIntegration',
    description: 'Deactivates the integration and keeps its history; its schedule stops and its credentials are erased.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Integration', 'id');
      await disconnectMarketplace(ctx.hub, ctx.viewer, id, ctx.requestId);
      return ctx.db.marketplaceIntegration.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));

builder.subscriptionFields((t) => ({
  integrationUpdated: t.field({
    type: Integration,
    description: 'The integration now, then every change to it.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'Integration', 'id');
      const load = () => ctx.db.marketplaceIntegration.findFirst({ where: { id, userId: ctx.viewer.userId } });
      if (!(await load())) throw notFound('Integration');
      return liveAfterSnapshot<PublishedIntegration>(ctx.hub.publisher.subscribe('integration:updated', id), load, {
        isNewer: (update, last) => new Date(update.updatedAt) >= new Date(last.updatedAt),
        belongsToViewer: (update) => update.userId === ctx.viewer.userId,
      });
    },
    resolve: (integration) => integration as never,
  }),
}));
