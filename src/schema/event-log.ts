import { notFound } from '../errors.ts';
import { severitiesAtLeast, severityRank } from '../events/event-log.ts';
import type { MarketplaceEventLog } from '../generated/prisma/client.ts';
import { EventSeverity, EventSource, EventType } from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';
import { optionalGlobalId, parseGlobalId } from './ids.ts';
import { liveOnly } from './live.ts';

const EventSeverityEnum = builder.enumType(EventSeverity, { name: 'EventSeverity' });
const EventSourceEnum = builder.enumType(EventSource, { name: 'EventSource' });
const EventTypeEnum = builder.enumType(EventType, { name: 'EventType' });

export const EventLog = builder.prismaNode('MarketplaceEventLog', {
  name: 'EventLog',
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    type: t.field({ type: EventTypeEnum, resolve: (e) => e.type }),
    source: t.field({ type: EventSourceEnum, resolve: (e) => e.source }),
    severity: t.field({ type: EventSeverityEnum, resolve: (e) => e.severity }),
    message: t.exposeString('message'),
    data: t.expose('data', { type: 'JSON' }),
    correlationId: t.exposeString('correlationId', { nullable: true }),
    integration: t.relation('integration', { nullable: true }),
    syncJob: t.relation('syncJob', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  eventLogs: t.prismaConnection({
    type: 'MarketplaceEventLog',
    cursor: 'id',
    description: 'Event log entries, newest first.',
    args: {
      integrationId: t.arg.id(),
      minSeverity: t.arg({ type: EventSeverityEnum }),
      types: t.arg({ type: [EventTypeEnum] }),
      since: t.arg({ type: 'DateTime' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.marketplaceEventLog.findMany({
        ...query,
        where: {
          userId: ctx.viewer.userId,
          integrationId: optionalGlobalId(args.integrationId, 'Integration', 'integrationId'),
          severity: args.minSeverity ? { in: severitiesAtLeast(args.minSeverity) } : undefined,
          type: args.types?.length ? { in: args.types } : undefined,
          createdAt: args.since ? { gte: args.since } : undefined,
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

builder.subscriptionFields((t) => ({
  eventLogAdded: t.field({
    type: EventLog,
    description: 'New event log entries as they are written.',
    args: { integrationId: t.arg.id(), minSeverity: t.arg({ type: EventSeverityEnum }) },
    subscribe: async (_root, args, ctx) => {
      const userId = ctx.viewer.userId;
      const integrationId = args.integrationId
        ? parseGlobalId(String(args.integrationId), 'Integration', 'integrationId')
        : undefined;
      if (integrationId && !(await ctx.db.marketplaceIntegration.findFirst({ where: { id: integrationId, userId } }))) {
        throw notFound('Integration');
      }
      const minRank = severityRank[args.minSeverity ?? 'info'];
      return liveOnly<MarketplaceEventLog>(
        ctx.hub.publisher.subscribe('user:eventLogAdded', userId),
        (event) =>
          event.userId === userId &&
          (!integrationId || event.integrationId === integrationId) &&
          severityRank[event.severity] >= minRank,
      );
    },
    resolve: (event) => event as never,
  }),
}));
