import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, type Authenticate } from '../../src/auth/authenticate.ts';
import { AppError } from '../../src/errors.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const jwtSecret = randomBytes(32).toString('base64');
const secretKey = new TextEncoder().encode(jwtSecret);

let db: TestDatabase;
let prisma: PrismaClient;
let withSecret: Authenticate;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.database.prisma;
  withSecret = createAuthenticator({ prisma, jwtSecret });
});

afterAll(async () => {
  await db?.drop();
});

const inFiveMinutes = () => Math.floor(Date.now() / 1000) + 300;

function hs256(claims: JWTPayload, key: Uint8Array = secretKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().sign(key);
}

async function expectUnauthenticated(authenticate: Authenticate, token: string, message: RegExp) {
  const error = await authenticate(`Bearer ${token}`).then(
    () => expect.fail('expected the token to be refused'),
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'AppError', code: 'UNAUTHENTICATED', message: expect.stringMatching(message) });
  expect((error as Error).message).not.toContain(token);
}

describe('HS256 JWTs (JWT_SECRET)', () => {
  it('accepts a token signed with the secret and creates its user once, with id = sub', async () => {
    const sub = randomUUID();
    const token = await hs256({ sub, exp: inFiveMinutes(), email: 'Jwt.User@Example.com' });
    expect(await withSecret(`Bearer ${token}`)).toEqual({ userId: sub, via: 'jwt' });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: sub } })).toMatchObject({
      email: 'jwt.user@example.com',
    });

    const renamed = await hs256({ sub, exp: inFiveMinutes(), email: 'changed@example.com' });
    expect(await withSecret(`bearer ${renamed}`)).toEqual({ userId: sub, via: 'jwt' });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: sub } })).email).toBe('jwt.user@example.com');
  });

  it('verifies a Supabase-style access token and creates the user only once', async () => {
    const sub = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'https://abcdefghijklmnop.supabase.co/auth/v1',
      sub,
      aud: 'authenticated',
      exp: now + 3600,
      iat: now,
      email: 'sam@example.com',
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { email_verified: true },
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: now }],
      session_id: randomUUID(),
      is_anonymous: false,
    };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secretKey);
    expect(await withSecret(`Bearer ${token}`)).toEqual({ userId: sub, via: 'jwt' });
    expect(await withSecret(`Bearer ${token}`)).toEqual({ userId: sub, via: 'jwt' });
    expect(await prisma.user.findMany({ where: { OR: [{ id: sub }, { email: 'sam@example.com' }] } })).toEqual([
      expect.objectContaining({ id: sub, email: 'sam@example.com' }),
    ]);
  });

  it("refuses a Supabase anon or service_role key (they carry no user's sub)", async () => {
    const anonKey = await hs256({ iss: 'supabase', ref: 'abcdefghijklmnop', role: 'anon', exp: inFiveMinutes() });
    await expectUnauthenticated(withSecret, anonKey, /no sub claim/);
  });

  it('gives a synthetic e-mail when the token has none, or when its address belongs to another user', async () => {
    const noEmail = randomUUID();
    await withSecret(`Bearer ${await hs256({ sub: noEmail, exp: inFiveMinutes() })}`);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: noEmail } })).email).toBe(`${noEmail}@jwt.invalid`);

    await prisma.user.create({ data: { email: 'taken@example.com' } });
    const clash = randomUUID();
    await withSecret(`Bearer ${await hs256({ sub: clash, exp: inFiveMinutes(), email: 'taken@example.com' })}`);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: clash } })).email).toBe(`${clash}@jwt.invalid`);
  });

  it('creates the user once when its first requests arrive together', async () => {
    const sub = randomUUID();
    const token = await hs256({ sub, exp: inFiveMinutes(), email: 'burst@example.com' });
    const viewers = await Promise.all(Array.from({ length: 5 }, () => withSecret(`Bearer ${token}`)));
    expect(new Set(viewers.map((v) => v.userId))).toEqual(new Set([sub]));
    expect(await prisma.user.count({ where: { id: sub } })).toBe(1);
  });

  it('refuses an expired token, beyond a few seconds of clock tolerance', async () => {
    const sub = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthenticated(withSecret, await hs256({ sub, exp: now - 60 }), /token has expired/);
    expect(await withSecret(`Bearer ${await hs256({ sub, exp: now - 2 })}`)).toMatchObject({ userId: sub });
  });

  it('refuses a token without exp', async () => {
    await expectUnauthenticated(withSecret, await hs256({ sub: randomUUID() }), /no expiry/);
  });

  it('refuses a token signed with another secret', async () => {
    const other = new TextEncoder().encode(randomBytes(32).toString('base64'));
    await expectUnauthenticated(
      withSecret,
      await hs256({ sub: randomUUID(), exp: inFiveMinutes() }, other),
      /not signed by a key this hub trusts/,
    );
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = new UnsecuredJWT({ sub: randomUUID(), exp: inFiveMinutes() }).encode();
    await expectUnauthenticated(withSecret, unsigned, /signing algorithm is not accepted/);
  });

  it('refuses a sub that is not a UUID', async () => {
    await expectUnauthenticated(
      withSecret,
      await hs256({ sub: 'user-42', exp: inFiveMinutes() }),
      /sub claim must be the user's id/,
    );
    expect(await prisma.user.count({ where: { email: 'user-42@jwt.invalid' } })).toBe(0);
  });

  it('takes an upper-case UUID sub as the same, lower-case user id', async () => {
    const sub = randomUUID();
    const viewer = await withSecret(`Bearer ${await hs256({ sub: sub.toUpperCase(), exp: inFiveMinutes() })}`);
    expect(viewer.userId).toBe(sub);
    expect(await prisma.user.count({ where: { id: sub } })).toBe(1);
  });

  it('refuses a token that is not a JWT at all', async () => {
    await expectUnauthenticated(withSecret, 'definitely-not-a-jwt', /neither an API token .* nor a well-formed JWT/);
    await expectUnauthenticated(withSecret, 'a.b.c', /neither an API token .* nor a well-formed JWT/);
  });
});

describe('RS256 / ES256 JWTs (JWKS_URL)', () => {
  let server: Server;
  let jwksUrl: string;
  let withKeySet: Authenticate;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    withKeySet = createAuthenticator({ prisma, jwksUrl });
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  const signWith = (alg: 'RS256' | 'ES256', kid: string, key: CryptoKey, claims: JWTPayload) =>
    new SignJWT(claims).setProtectedHeader({ alg, kid }).setIssuedAt().sign(key);

  it('accepts RS256 and ES256 tokens signed with keys of the set', async () => {
    const rsaSub = randomUUID();
    const ecSub = randomUUID();
    const rsaToken = await signWith('RS256', 'rsa-1', rsa.privateKey, { sub: rsaSub, exp: inFiveMinutes() });
    const ecToken = await signWith('ES256', 'ec-1', ec.privateKey, { sub: ecSub, exp: inFiveMinutes() });
    expect(await withKeySet(`Bearer ${rsaToken}`)).toEqual({ userId: rsaSub, via: 'jwt' });
    expect(await withKeySet(`Bearer ${ecToken}`)).toEqual({ userId: ecSub, via: 'jwt' });
  });

  it('refuses a token signed with a key outside the set', async () => {
    const stranger = await generateKeyPair('RS256');
    const claims = { sub: randomUUID(), exp: inFiveMinutes() };
    await expectUnauthenticated(
      withKeySet,
      await signWith('RS256', 'rsa-1', stranger.privateKey, claims),
      /not signed by a key this hub trusts/,
    );
    await expectUnauthenticated(
      withKeySet,
      await signWith('RS256', 'unknown-kid', stranger.privateKey, claims),
      /not signed by a key this hub trusts/,
    );
  });

  it('refuses HS256 when only a key set is configured, even signed with a public key of the set', async () => {
    const publicPem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const confused = await new SignJWT({ sub: randomUUID(), exp: inFiveMinutes() })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .sign(publicPem);
    await expectUnauthenticated(withKeySet, confused, /signing algorithm is not accepted/);
  });

  it('with both configured, accepts each kind and still refuses HS256 signed with a public key', async () => {
    const withBoth = createAuthenticator({ prisma, jwtSecret, jwksUrl });
    const sub = randomUUID();
    expect(await withBoth(`Bearer ${await hs256({ sub, exp: inFiveMinutes() })}`)).toMatchObject({ userId: sub });
    const rsaToken = await signWith('RS256', 'rsa-1', rsa.privateKey, { sub, exp: inFiveMinutes() });
    expect(await withBoth(`Bearer ${rsaToken}`)).toMatchObject({ userId: sub });

    const publicPem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const confused = await new SignJWT({ sub, exp: inFiveMinutes() })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .sign(publicPem);
    await expectUnauthenticated(withBoth, confused, /not signed by a key this hub trusts/);
    await expectUnauthenticated(
      withBoth,
      new UnsecuredJWT({ sub, exp: inFiveMinutes() }).encode(),
      /signing algorithm is not accepted/,
    );
  });

  it('refuses an expired RS256 token', async () => {
    const token = await signWith('RS256', 'rsa-1', rsa.privateKey, {
      sub: randomUUID(),
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    await expectUnauthenticated(withKeySet, token, /token has expired/);
  });

  it('treats an unreachable key set as a server fault, not as a bad token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = createAuthenticator({ prisma, jwksUrl: `http://127.0.0.1:${port}/jwks.json` });
    const token = await signWith('RS256', 'rsa-1', rsa.privateKey, { sub: randomUUID(), exp: inFiveMinutes() });
    const error = await unreachable(`Bearer ${token}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
  });
});
