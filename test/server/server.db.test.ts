import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createHubServer, type HubServer } from '../../src/server/http-server.ts';
import { PlatformByIdDocument, PlatformsDocument } from '../generated/graphql/graphql.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { overWebSocket, postGraphql } from '../helpers/graphql.ts';

let db: TestDatabase;
let server: HubServer;
let baseUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = createHubServer({ database: db.database, migrations: db.migrations, logger: createLogger('silent') });
  baseUrl = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});

afterAll(async () => {
  await server?.close(1000);
  await db?.drop();
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
      database: db.database,
      migrations: [...db.migrations, { name: '99990101000000_future', sql: 'SELECT 1', checksum: '0' }],
      logger: createLogger('silent'),
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

  it('serves GraphiQL at /graphql to a browser, with subscriptions over WebSocket', async () => {
    const response = await fetch(`${baseUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('GraphiQL');
    expect(html).toContain('"subscriptionsProtocol":"WS"');
  });

  it('lists every platform with its credential fields and capabilities', async () => {
    const { status, body } = await postGraphql(baseUrl, PlatformsDocument);
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
    expect(etsy.credentialFields.filter((f) => f.required).map((f) => f.name)).toEqual(['api_key', 'shop_id']);
    expect(etsy.capabilities).toMatchObject({ webhooks: true, bulkStock: false, oauth: true });
    const allegro = platforms.find((p) => p.id === 'allegro')!;
    expect(allegro.credentialFields.filter((f) => f.required).map((f) => f.name)).toEqual(['api_key', 'access_token']);
    expect(allegro.capabilities).toMatchObject({ webhooks: false, bulkStock: true, eventJournal: true });
  });

  it('answers queries over GET too (GraphQL over HTTP)', async () => {
    const url = `${baseUrl}/graphql?query=${encodeURIComponent('{ platform(id: manomano) { displayName } }')}`;
    const response = await fetch(url, { headers: { accept: 'application/graphql-response+json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { platform: { displayName: 'ManoMano' } } });
  });

  it('refuses a mutation over GET with 405', async () => {
    const url = `${baseUrl}/graphql?query=${encodeURIComponent('mutation { __typename }')}`;
    const response = await fetch(url, { headers: { accept: 'application/graphql-response+json' } });
    expect(response.status).toBe(405);
  });

  it('rejects an invalid argument with a typed validation error and status 400', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ platform(id: amazonas) { id } }' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions?: { code?: string } }[] };
    expect(body.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('runs operations over graphql-ws on the same port and path', async () => {
    const results = await overWebSocket(baseUrl, PlatformByIdDocument, { id: 'cdiscount' });
    expect(results).toEqual([{ data: { platform: { id: 'cdiscount', displayName: 'Cdiscount' } } }]);
  });
});
