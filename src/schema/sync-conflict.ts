import { ConflictResolution, ConflictStatus } from '../generated/prisma/enums.ts';
import { resolveConflict } from '../sync/conflicts.ts';
import { builder } from './builder.ts';
import { optionalGlobalId, parseGlobalId } from './ids.ts';

const ConflictStatusEnum = builder.enumType(ConflictStatus, { name: 'ConflictStatus' });
const ConflictChoiceEnum = builder.enumType(ConflictResolution, {
  name: 'ConflictChoice',
  description: 'local: keep the hub value; remote: take the marketplace value; base: go back to the last agreed value.',
});

builder.prismaNode('SyncConflict', {
  name: 'SyncConflict',
  id: { field: 'id' },
  nullable: true,
  description: 'A field both sides changed since the last sync, with no rule to settle it.',
  fields: (t) => ({
    integration: t.relation('integration'),
    product: t.relation('product'),
    mapping: t.relation('mapping', { nullable: true }),
    syncJob: t.relation('syncJob', { nullable: true }),
    field: t.exposeString('field'),
    localValue: t.expose('localValue', { type: 'JSON', nullable: true }),
    remoteValue: t.expose('remoteValue', { type: 'JSON', nullable: true }),
    baseValue: t.expose('baseValue', { type: 'JSON', nullable: true }),
    status: t.field({ type: ConflictStatusEnum, resolve: (c) => c.status }),
    resolution: t.field({ type: ConflictChoiceEnum, nullable: true, resolve: (c) => c.resolution }),
    resolvedValue: t.expose('resolvedValue', { type: 'JSON', nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  syncConflicts: t.prismaConnection({
    type: 'SyncConflict',
    cursor: 'id',
    description: 'Sync conflicts, newest first.',
    args: { integrationId: t.arg.id(), status: t.arg({ type: ConflictStatusEnum }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.syncConflict.findMany({
        ...query,
        where: {
          userId: ctx.viewer.userId,
          integrationId: optionalGlobalId(args.integrationId, 'Integration', 'integrationId'),
          status: args.status ?? undefined,
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

builder.mutationFields((t) => ({
  resolveConflict: t.prismaField({
    type: 'SyncConflict',
    args: { id: t.arg.id({ required: true }), choice: t.arg({ type: ConflictChoiceEnum, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseGlobalId(String(args.id), 'SyncConflict', 'id');
      await resolveConflict(ctx.hub, ctx.viewer, id, args.choice, ctx.requestId);
      return ctx.db.syncConflict.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
