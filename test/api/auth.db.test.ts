import { print } from 'graphql';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { revokeApiToken, createApiToken } from '../../src/auth/api-tokens.ts';
import { MeDocument, PlatformsDocument } from '../generated/graphql/graphql.ts';
import { postGraphql, wsClient } from '../helpers/graphql.ts';
import { startTestHub, type TestHub } from '../helpers/hub.ts';

const jwtSecret = 'test-jwt-secret-that-is-at-least-32-chars';
let t: TestHub;

beforeAll(async () => {
  t = await startTestHub({ JWT_SECRET: jwtSecret });
});
afterAll(async () => {
  await t?.stop();
});

async function expectUnauthenticated(headers: Record<string, string>) {
  const { status, body } = await postGraphql(t.baseUrl, MeDocument, undefined, headers);
  expect(status).toBe(401);
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  return body.errors![0]!.message;
}

function signJwt(claims: Record<string, unknown>, expiresIn: string | number = '5m') {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(jwtSecret));
}

describe('HTTP authentication', () => {
  it('answers an API token holder with their own user', async () => {
    const user = await t.newUser('holder@example.com');
    const { status, body } = await postGraphql(t.baseUrl, MeDocument, undefined, { authorization: user.authorization });
    expect(status).toBe(200);
    expect(body.data?.me.email).toBe('holder@example.com');
  });

  it('refuses a request without a token, even for public-looking data, with 401 and no data', async () => {
    expect(await expectUnauthenticated({})).toMatch(/Authorization/);
    const { status, body } = await postGraphql(t.baseUrl, PlatformsDocument);
    expect(status).toBe(401);
    expect(body.data ?? null).toBeNull();
  });

  it.each([['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer '], ['bearer hub_not-a-real-token'], ['Bearer a.b.c']])(
    'refuses the malformed or unknown authorization %j',
    async (authorization) => {
      await expectUnauthenticated({ authorization });
    },
  );

  it('refuses a revoked API token, and one past its expiry', async () => {
    const user = await t.newUser();
    const created = await createApiToken(t.hub.database.prisma, { email: 'expiring@example.com', name: 'short', expiresAt: new Date(Date.now() + 300) });
    await revokeApiToken(t.hub.database.prisma, (await t.hub.database.prisma.apiToken.findFirstOrThrow({ where: { userId: user.userId } })).id);
    expect(await expectUnauthenticated({ authorization: user.authorization })).toMatch(/revoked/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await expectUnauthenticated({ authorization: `Bearer ${created.token}` })).toMatch(/expired/);
  });

  it('accepts a valid JWT whose sub is the user id, and refuses an expired one', async () => {
    const sub = crypto.randomUUID();
    const token = await signJwt({ sub, email: 'jwt-user@example.com', aud: 'authenticated', role: 'authenticated' });
    const { body } = await postGraphql(t.baseUrl, MeDocument, undefined, { authorization: `Bearer ${token}` });
    expect(body.data?.me).toEqual({ id: sub, email: 'jwt-user@example.com' });
    const expired = await signJwt({ sub }, Math.floor(Date.now() / 1000) - 60);
    expect(await expectUnauthenticated({ authorization: `Bearer ${expired}` })).toMatch(/expired/i);
  });
});

describe('WebSocket authentication', () => {
  /** Speaks graphql-transport-ws by hand: connection_init, then wait for the server to close. */
  function closeCodeOf(authorization?: string) {
    return new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const socket = new WebSocket(`${t.baseUrl.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', payload: authorization ? { Authorization: authorization } : {} })),
      );
      socket.on('message', (data) => reject(new Error(`unexpected message ${String(data)}`)));
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  it('closes a connection whose connection_init has no token, or a revoked one, with 4401', async () => {
    const missing = await closeCodeOf();
    expect(missing.code).toBe(4401);
    expect(missing.reason).toMatch(/Authorization/);
    const user = await t.newUser();
    const tokenId = (await t.hub.database.prisma.apiToken.findFirstOrThrow({ where: { userId: user.userId } })).id;
    await revokeApiToken(t.hub.database.prisma, tokenId);
    expect((await closeCodeOf(user.authorization)).code).toBe(4401);
  });

  it('runs operations for a valid token, and refuses new ones once the token is revoked', async () => {
    const user = await t.newUser('ws@example.com');
    const client = wsClient(t.baseUrl, user.authorization, { keepOpen: true });
    const run = () =>
      new Promise<{ data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] }>((resolve, reject) => {
        let result: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] } = {};
        client.subscribe(
          { query: print(MeDocument) },
          {
            next: (value) => (result = value as typeof result),
            error: (errors) => resolve({ errors: errors as typeof result.errors }),
            complete: () => resolve(result),
          },
        );
        setTimeout(() => reject(new Error('no answer')), 5000);
      });
    try {
      expect(await run()).toEqual({ data: { me: { id: user.userId, email: 'ws@example.com' } } });
      const tokenId = (await t.hub.database.prisma.apiToken.findFirstOrThrow({ where: { userId: user.userId } })).id;
      await revokeApiToken(t.hub.database.prisma, tokenId);
      const refused = await run();
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });
});
