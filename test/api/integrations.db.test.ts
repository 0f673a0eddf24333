import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJson } from '../../src/secrets/sealing.ts';
import {
  ConnectMarketplaceDocument,
  DisconnectMarketplaceDocument,
  EventLogAddedDocument,
  EventLogsDocument,
  IntegrationDocument,
  IntegrationsDocument,
  IntegrationUpdatedDocument,
  StartSyncDocument,
  SyncJobDocument,
  UpdateIntegrationDocument,
} from '../generated/graphql/graphql.ts';
import { etsyAccount, startEtsyFake } from '../fakes/etsy/server.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { manomanoAccount, startManomanoFake } from '../fakes/manomano/server.ts';
import { graphqlClient, wsClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { gid } from '../helpers/seed.ts';

let t: TestHub;
let manomano: FakeServer;
let etsy: FakeServer;
let user: Awaited<ReturnType<TestHub['newUser']>>;
let api: ReturnType<typeof graphqlClient>;

const secrets = [manomanoAccount.apiKey, etsyAccount.keystring, etsyAccount.sharedSecret, etsyAccount.accessToken];

beforeAll(async () => {
  [t, manomano, etsy] = await Promise.all([startTestHub(), startManomanoFake(), startEtsyFake()]);
  user = await t.newUser();
  api = graphqlClient(t.baseUrl, user.authorization);
});
afterAll(async () => {
  await Promise.all([t?.stop(), manomano?.close(), etsy?.close()]);
});

const connectManomano = (overrides: Record<string, unknown> = {}) => ({
  platform: 'manomano' as const,
  credentials: { api_key: manomanoAccount.apiKey, shop_id: manomanoAccount.sellerContractId },
  config: { apiBaseUrl: manomano.url },
  ...overrides,
});

function expectNoSecret(value: unknown) {
  const text = JSON.stringify(value);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('connectMarketplace', () => {
  it("verifies the credentials against the marketplace, then stores them sealed and exposes only their presence", async () => {
    const before = manomano.requests.length;
    const { connectMarketplace: integration } = await api.data(ConnectMarketplaceDocument, connectManomano({ name: 'ManoMano FR' }));
    expect(manomano.requests.length).toBe(before + 1);
    expect(integration).toMatchObject({
      platform: 'manomano',
      name: 'ManoMano FR',
      status: 'connected',
      shopId: manomanoAccount.sellerContractId,
      hasCredentials: true,
      credentialFields: ['api_key', 'shop_id'],
      direction: 'bidirectional',
      autoSyncEnabled: true,
      syncFrequencyMinutes: 60,
      stats: { products: 0, orders: 0, syncs: 0, failures: 0 },
    });
    expect(integration.credentialHint).toMatch(/^api_key ••••/);
    expectNoSecret(integration);

    const row = await t.hub.database.prisma.marketplaceIntegration.findUniqueOrThrow({ where: { id: gid.local(integration.id) } });
    expect(Buffer.from(row.credentialsSealed!).toString('latin1')).not.toContain(manomanoAccount.apiKey);
    const opened = openJson<Record<string, string>>(t.hub.keyRing, row.credentialsSealed!, row.credentialsKeyId!, {
      userId: user.userId,
      recordId: row.id,
      purpose: 'integration_credentials',
    });
    expect(opened).toEqual({ api_key: manomanoAccount.apiKey });

    const { eventLogs } = await api.data(EventLogsDocument, { integrationId: integration.id });
    expect(eventLogs.edges.map((e) => [e.node.type, e.node.source])).toEqual([['integration_connected', 'api']]);
    expectNoSecret(eventLogs);
  });

  it('connecting the same account again updates it instead of creating a duplicate', async () => {
    const first = await api.data(ConnectMarketplaceDocument, connectManomano());
    const again = await api.data(ConnectMarketplaceDocument, connectManomano({ syncFrequencyMinutes: 15 }));
    expect(again.connectMarketplace.id).toBe(first.connectMarketplace.id);
    expect(again.connectMarketplace.syncFrequencyMinutes).toBe(15);
    const { integrations } = await api.data(IntegrationsDocument, { platform: 'manomano' });
    expect(integrations.edges).toHaveLength(1);
  });

  it('connects Etsy with its keystring, shared secret and OAuth token, identifying the shop', async () => {
    const { connectMarketplace: integration } = await api.data(ConnectMarketplaceDocument, {
      platform: 'etsy',
      credentials: {
        api_key: etsyAccount.keystring,
        api_secret: etsyAccount.sharedSecret,
        access_token: etsyAccount.accessToken,
        shop_id: String(etsyAccount.shopId),
      },
      config: { apiBaseUrl: etsy.url },
    });
    expect(integration).toMatchObject({ platform: 'etsy', shopId: String(etsyAccount.shopId), hasCredentials: true });
    expectNoSecret(integration);
  });

  it('rejects wrong credentials with INVALID_CREDENTIALS and stores nothing', async () => {
    const other = await t.newUser();
    const otherApi = graphqlClient(t.baseUrl, other.authorization);
    const { body } = await otherApi.call(ConnectMarketplaceDocument, connectManomano({ credentials: { api_key: 'wrong-key-000000', shop_id: '4242' } }));
    expect(body.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    expectNoSecret(body);
    expect(JSON.stringify(body)).not.toContain('wrong-key-000000');
    expect(await t.hub.database.prisma.marketplaceIntegration.count({ where: { userId: other.userId } })).toBe(0);
    expect(await t.hub.database.prisma.marketplaceEventLog.count({ where: { userId: other.userId } })).toBe(0);
  });

  it('checks the platform fields before calling the marketplace, naming each bad field', async () => {
    const before = manomano.requests.length;
    const { body } = await api.call(ConnectMarketplaceDocument, connectManomano({ credentials: { api_key: '', token: 'x' } }));
    const error = body.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((error?.extensions?.fieldErrors as { path: string[] }[]).map((f) => f.path.join('.')).sort()).toEqual([
      'credentials.api_key',
      'credentials.shop_id',
      'credentials.token',
    ]);
    const badConfig = await api.call(ConnectMarketplaceDocument, connectManomano({ config: { conflictRules: { price: 'whoever' } } }));
    expect(badConfig.body.errors?.[0]?.extensions?.fieldErrors).toEqual([
      expect.objectContaining({ path: ['config', 'conflictRules', 'price'] }),
    ]);
    const badFrequency = await api.call(ConnectMarketplaceDocument, connectManomano({ syncFrequencyMinutes: 1 }));
    expect(badFrequency.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(manomano.requests.length).toBe(before);
  });

  it('refuses a custom API base URL unless local URLs are allowed', async () => {
    t.hub.config.allowLocalUrls = false;
    try {
      const { body } = await api.call(ConnectMarketplaceDocument, connectManomano());
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ path: ['config', 'apiBaseUrl'] }] });
    } finally {
      t.hub.config.allowLocalUrls = true;
    }
  });

  it('reports a marketplace that is down as PLATFORM_UNAVAILABLE', async () => {
    manomano.knobs.serverErrors = Infinity;
    try {
      const { body } = await api.call(ConnectMarketplaceDocument, connectManomano());
      expect(body.errors?.[0]?.extensions?.code).toBe('PLATFORM_UNAVAILABLE');
    } finally {
      manomano.knobs.serverErrors = 0;
    }
  });
});

describe('updateIntegration and disconnectMarketplace', () => {
  beforeAll(async () => {
    // connectMarketplace is rate limited per user: each group of tests acts as its own user.
    user = await t.newUser();
    api = graphqlClient(t.baseUrl, user.authorization);
  });

  it('updates settings, merging config, and streams the change to integrationUpdated', async () => {
    const { connectMarketplace: integration } = await api.data(ConnectMarketplaceDocument, connectManomano());
    const client = wsClient(t.baseUrl, user.authorization);
    const seen: { syncFrequencyMinutes: number; name: string }[] = [];
    const unsubscribe = client.subscribe(
      { query: print(IntegrationUpdatedDocument), variables: { id: integration.id } },
      { next: (r) => seen.push((r.data as { integrationUpdated: (typeof seen)[number] }).integrationUpdated), error: () => undefined, complete: () => undefined },
    );
    await waitFor(() => seen.length === 1);
    const { updateIntegration: updated } = await api.data(UpdateIntegrationDocument, {
      id: integration.id,
      settings: { name: 'Main ManoMano', syncFrequencyMinutes: 30, direction: 'pull', config: { conflictRules: { stock: 'local' } } },
    });
    expect(updated).toMatchObject({ name: 'Main ManoMano', syncFrequencyMinutes: 30, direction: 'pull' });
    expect(updated.config).toMatchObject({ conflictRules: { stock: 'local' }, apiBaseUrl: manomano.url, deletionMissThreshold: 2 });
    await waitFor(() => seen.length === 2);
    unsubscribe();
    await client.dispose();
    expect(seen[1]).toMatchObject({ name: 'Main ManoMano', syncFrequencyMinutes: 30 });
    const bad = await api.call(UpdateIntegrationDocument, { id: integration.id, settings: { syncFrequencyMinutes: 0 } });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ path: ['settings', 'syncFrequencyMinutes'] }] });
  });

  it('disconnects: erases credentials, stops the schedule, cancels queued jobs, keeps history', async () => {
    const { connectMarketplace: integration } = await api.data(ConnectMarketplaceDocument, connectManomano());
    const { startSync: job } = await api.data(StartSyncDocument, { integrationId: integration.id, type: 'products' });
    const { disconnectMarketplace: disconnected } = await api.data(DisconnectMarketplaceDocument, { id: integration.id });
    expect(disconnected).toMatchObject({ status: 'disconnected', hasCredentials: false, credentialFields: [], nextSyncAt: null });
    expect((await api.data(SyncJobDocument, { id: job.id })).syncJob.status).toBe('cancelled');
    expect((await api.data(IntegrationDocument, { id: integration.id })).integration.recentJobs.length).toBeGreaterThan(0);
    expect(await api.errorCode(DisconnectMarketplaceDocument, { id: integration.id })).toBe('CONFLICT');
    expect(await api.errorCode(StartSyncDocument, { integrationId: integration.id, type: 'orders' })).toBe('CONFLICT');
    const { eventLogs } = await api.data(EventLogsDocument, { integrationId: integration.id, types: ['integration_disconnected'] });
    expect(eventLogs.edges[0]?.node.data).toMatchObject({ cancelledJobs: 1 });
  });
});

describe('eventLogAdded', () => {
  beforeAll(async () => {
    user = await t.newUser();
    api = graphqlClient(t.baseUrl, user.authorization);
  });

  it('streams new entries for the integration at or above the severity asked for', async () => {
    const { connectMarketplace: integration } = await api.data(ConnectMarketplaceDocument, connectManomano());
    const client = wsClient(t.baseUrl, user.authorization);
    const seen: { type: string }[] = [];
    const unsubscribe = client.subscribe(
      { query: print(EventLogAddedDocument), variables: { integrationId: integration.id } },
      { next: (r) => seen.push((r.data as { eventLogAdded: { type: string } }).eventLogAdded), error: () => undefined, complete: () => undefined },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await api.data(StartSyncDocument, { integrationId: integration.id, type: 'orders' });
    await waitFor(() => seen.length === 1);
    unsubscribe();
    await client.dispose();
    expect(seen.map((s) => s.type)).toEqual(['sync_queued']);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
