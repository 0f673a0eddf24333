import { builder } from './builder.ts';

builder.prismaObject('MarketplaceWebhook', {
  name: 'Webhook',
  description: 'A webhook subscription the hub registered on the marketplace. Its secret is never exposed.',
  fields: (t) => ({
    id: t.exposeID('id'),
    topics: t.exposeStringList('topics'),
    endpointUrl: t.exposeString('endpointUrl'),
    active: t.exposeBoolean('active'),
    totalCalls: t.exposeInt('totalCalls'),
    failedCalls: t.exposeInt('failedCalls'),
    lastReceivedAt: t.expose('lastReceivedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
