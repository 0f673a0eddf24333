import type { CredentialField, PlatformCapabilities, PlatformDescriptor } from '../connectors/platform.ts';
import { platformDescriptor, platformDescriptors } from '../connectors/registry.ts';
import { Platform } from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';

export const PlatformEnum = builder.enumType(Platform, {
  name: 'Platform',
  description: 'A marketplace or shop system the hub connects to.',
});

const CredentialFieldType = builder.objectRef<CredentialField>('CredentialField').implement({
  description: 'One field of a platform connect form.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Key to use in connectMarketplace(credentials).' }),
    label: t.exposeString('label'),
    required: t.exposeBoolean('required'),
    secret: t.exposeBoolean('secret', {
      description: 'Secret values are sealed at rest and never returned by the API.',
    }),
    help: t.exposeString('help', { nullable: true }),
  }),
});

const CapabilitiesType = builder.objectRef<PlatformCapabilities>('PlatformCapabilities').implement({
  fields: (t) => ({
    webhooks: t.exposeBoolean('webhooks', { description: 'Pushes HTTPS webhooks the hub registers and verifies.' }),
    bulkStock: t.exposeBoolean('bulkStock', { description: 'Changes stock and price of many items per call.' }),
    oauth: t.exposeBoolean('oauth', { description: 'Connects through an OAuth authorization flow.' }),
    incrementalProducts: t.exposeBoolean('incrementalProducts', {
      description: 'Lists products changed since a cursor instead of the whole catalog.',
    }),
    eventJournal: t.exposeBoolean('eventJournal', { description: 'Exposes an event journal polled by last event id.' }),
  }),
});

const MarketplacePlatformType = builder.objectRef<PlatformDescriptor>('MarketplacePlatform').implement({
  description: 'A supported platform: what connecting it needs and what it supports.',
  fields: (t) => ({
    id: t.field({ type: PlatformEnum, resolve: (d) => d.platform }),
    displayName: t.exposeString('displayName'),
    credentialFields: t.field({ type: [CredentialFieldType], resolve: (d) => d.credentialFields }),
    capabilities: t.field({ type: CapabilitiesType, resolve: (d) => d.capabilities }),
    rateLimit: t.exposeString('rateLimit', { description: 'The documented request budget.' }),
  }),
});

builder.queryFields((t) => ({
  platforms: t.field({
    type: [MarketplacePlatformType],
    description: 'Every supported platform, European marketplaces first.',
    resolve: () => [...platformDescriptors],
  }),
  platform: t.field({
    type: MarketplacePlatformType,
    args: { id: t.arg({ type: PlatformEnum, required: true }) },
    resolve: (_root, { id }) => platformDescriptor(id),
  }),
}));
