import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubServer } from '../../src/server/http-server.ts';
import { PlatformByIdDocument, PlatformsDocument } from '../generated/graphql/graphql.ts';
import { overWebSocket, postGraphql } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

let t: TestHub;
let baseUrl: string;
let auth: { authorization: string };

beforeAll(async () => {
  t = await startTestHub();
  baseUrl = t.baseUrl;
  auth = { authorization: (await t.newUser()).authorization };
});

afterAll(async () => {
  await t?.stop();
});

describe('HTTP server', () => {
  it('answers /healthz while the process is up', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when the database is reachable and migrated', async () => {
    const response = await fetch(`${baseUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true, database: 'ok', pendingMigrations: [] });
  });

  it('answers /readyz 503 naming the migrations a database lacks', async () => {
    const unmigrated = createHubServer({
      ...t.hub,
      migrations: [...t.hub.migrations, { name: '99990101000000_future', sql: 'SELECT 1', checksum: '0' }],
    });
    const port = await unmigrated.listen(0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ready: false, pendingMigrations: ['99990101000000_future'] });
    } finally {
      await unmigrated.close(1000);
    }
  });

  it('serves GraphiQL at /graphql to a browser, its subscriptions over SSE so its Headers tab authenticates them', async () => {
    const response = await fetch(`${baseUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expect(html).toContain('"subscriptionsProtocol":"SSE"');
  });

  it('lists every platform with its credential fields and capabilities', async () => {
    const { status, body } = await postGraphql(baseUrl, PlatformsDocument, undefined, auth);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const platforms = body.data!.platforms;
    expect(platforms.map((p) => p.id)).toEqual([
      'etsy',
      'cdiscount',
      'allegro',
      'manomano',
      'shopify',
      'woocommerce',
      'amazon',
      'ebay',
    ]);
    const etsy = platforms.find((p) => p.id === 'etsy')!;
    expect(etsy.displayName).toBe('Etsy');
    expect(etsy.credentialFields.filter((f) => f.required).map((f) => f.name)).toEqual(['api_key', 'api_secret', 'shop_id', 'access_token']);
    expect(etsy.capabilities).toMatchObject({ webhooks: true, bulkStock: false, oauth: true });
    const allegro = platforms.find((p) => p.id === 'allegro')!;
    expect(allegro.credentialFields.filter((f) => f.required).map((f) => f.name)).toEqual(['api_key', 'access_token']);
    expect(allegro.capabilities).toMatchObject({ webhooks: false, bulkStock: true, eventJournal: true });
  });

  it('answers queries over GET too (GraphQL over HTTP)', async () => {
    const url = `${baseUrl}/graphql?query=${encodeURIComponent('{ platform(id: manomano) { displayName } }')}`;
    const response = await fetch(url, { headers: { accept: 'application/graphql-response+json', ...auth } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { platform: { displayName: 'ManoMano' } } });
  });

  it('refuses a mutation over GET with 405', async () => {
    const url = `${baseUrl}/graphql?query=${encodeURIComponent('mutation { __typename }')}`;
    const response = await fetch(url, { headers: { accept: 'application/graphql-response+json', ...auth } });
    expect(response.status).toBe(405);
  });

  it('rejects an invalid argument with a typed validation error and status 400', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...auth },
      body: JSON.stringify({ query: '{ platform(id: amazonas) { id } }' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions?: { code?: string } }[] };
    expect(body.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('runs operations over graphql-ws on the same port and path', async () => {
    const results = await overWebSocket(baseUrl, PlatformByIdDocument, { id: 'cdiscount' }, auth.authorization);
    expect(results).toEqual([{ data: { platform: { id: 'cdiscount', displayName: 'Cdiscount' } } }]);
  });
});
