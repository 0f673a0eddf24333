import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitedActions } from '../../src/schema/rate-limits.ts';
import { operationLimits } from '../../src/server/yoga.ts';
import { StartSyncDocument } from '../generated/graphql/graphql.ts';
import { graphqlClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';
import { gid, seedIntegration } from '../helpers/seed.ts';

let t: TestHub;
let authorization: string;

beforeAll(async () => {
  t = await startTestHub();
  authorization = (await t.newUser()).authorization;
});
afterAll(async () => {
  await t?.stop();
});

async function post(query: string, headers: Record<string, string> = { authorization }) {
  const response = await fetch(`${t.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

describe('operation limits', () => {
  it('refuse a query deeper than the limit', async () => {
    let selection = 'id';
    for (let i = 0; i < operationLimits.maxDepth; i++) selection = `integration { ${selection} }`;
    const { body } = await post(`{ syncJobs { edges { node { ${selection} } } } }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('refuse too many aliases', async () => {
    const aliases = Array.from({ length: operationLimits.maxAliases + 1 }, (_, i) => `a${i}: me { id }`).join(' ');
    const { body } = await post(`{ ${aliases} }`);
    expect(body.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('refuse an operation with too many tokens', async () => {
    const fields = Array.from({ length: operationLimits.maxTokens }, () => 'id').join(' ');
    const { body } = await post(`{ me { ${fields} } }`);
    expect(body.errors?.[0]?.message).toMatch(/token/i);
  });

  it('hide field suggestions', async () => {
    const { status, body } = await post('{ me { emial } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});

describe('per-user rate limits', () => {
  it('answer RATE_LIMITED with a retry time once startSync exceeds its budget, per user', async () => {
    const user = await t.newUser();
    const api = graphqlClient(t.baseUrl, user.authorization);
    const integrationId = gid.integration((await seedIntegration(t.hub.database.prisma, user.userId)).id);
    for (let i = 0; i < rateLimitedActions.startSync.points; i++) {
      await api.data(StartSyncDocument, { integrationId, type: 'products' });
    }
    const { body } = await api.call(StartSyncDocument, { integrationId, type: 'products' });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    const other = await t.newUser();
    const otherIntegration = gid.integration((await seedIntegration(t.hub.database.prisma, other.userId)).id);
    await graphqlClient(t.baseUrl, other.authorization).data(StartSyncDocument, { integrationId: otherIntegration, type: 'products' });
  });
});

describe('unexpected errors', () => {
  it('reach the client as a correlation id only: no stack, no SQL, no table name', async () => {
    await t.hub.database.sql.exec('ALTER TABLE sync_conflicts RENAME TO sync_conflicts_moved');
    try {
      const { body } = await post('{ syncConflicts { edges { node { id } } } }');
      const error = body.errors?.[0];
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.extensions?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error?.message).toContain(String(error?.extensions?.correlationId));
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/sync_conflicts|SELECT|stack|prisma/i);
    } finally {
      await t.hub.database.sql.exec('ALTER TABLE sync_conflicts_moved RENAME TO sync_conflicts');
    }
  });

  it('a request without a query is a 400 with a JSON error', async () => {
    const response = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
      body: '{"variables":{}}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
  });
});
