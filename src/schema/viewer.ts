import { notFound } from '../errors.ts';
import { builder } from './builder.ts';

builder.prismaObject('User', {
  name: 'User',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  me: t.prismaField({
    type: 'User',
    description: 'The authenticated user.',
    resolve: async (query, _root, _args, ctx) => {
      const user = await ctx.db.user.findUnique({ ...query, where: { id: ctx.viewer.userId } });
      if (!user) throw notFound('User');
      return user;
    },
  }),
}));
