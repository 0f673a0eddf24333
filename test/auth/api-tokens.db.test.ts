import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiToken,
  lastUsedWriteIntervalMs,
  listApiTokens,
  revokeApiToken,
  verifyApiToken,
} from '../../src/auth/api-tokens.ts';
import { createAuthenticator, type Authenticate } from '../../src/auth/authenticate.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
let prisma: PrismaClient;
let authenticate: Authenticate;
const statements: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
  prisma = db.database.prisma;
  authenticate = createAuthenticator({ prisma });
});

afterAll(async () => {
  await db?.drop();
});

async function expectUnauthenticated(token: string, message: RegExp) {
  const error = await authenticate(`Bearer ${token}`).then(
    () => expect.fail('expected the token to be refused'),
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'AppError', code: 'UNAUTHENTICATED', message: expect.stringMatching(message) });
  expect((error as Error).message).not.toContain(token);
}

describe('API tokens', () => {
  it('creates a hub_ token, its user with a normalised e-mail, and verifies it', async () => {
    const created = await createApiToken(prisma, { email: '  Ada@Example.COM ', name: 'laptop' });
    expect(created.token).toMatch(/^hub_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    const user = await prisma.user.findUniqueOrThrow({ where: { id: created.userId } });
    expect(user.email).toBe('ada@example.com');

    expect(await verifyApiToken(prisma, created.token)).toEqual({ userId: created.userId, tokenId: created.id });
    expect(await authenticate(`Bearer ${created.token}`)).toEqual({
      userId: created.userId,
      via: 'api_token',
      tokenId: created.id,
    });
  });

  it('reuses the user of an existing e-mail and refuses an invalid one', async () => {
    const first = await createApiToken(prisma, { email: 'grace@example.com', name: 'one' });
    const second = await createApiToken(prisma, { email: 'GRACE@example.com', name: 'two' });
    expect(second.userId).toBe(first.userId);
    expect(second.token).not.toBe(first.token);
    await expect(createApiToken(prisma, { email: 'not-an-email', name: 'x' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(createApiToken(prisma, { email: 'grace@example.com', name: '  ' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(
      createApiToken(prisma, { email: 'grace@example.com', name: 'past', expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('stores the SHA-256 hash and a display prefix, never the token', async () => {
    const created = await createApiToken(prisma, { email: 'hash@example.com', name: 'ci' });
    const rows = await db.database.sql.query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = $1', [
      created.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(rows[0]!.prefix).toBe(created.token.slice(0, 12));
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(created.token);
    expect(stored).not.toContain(created.token.slice(12));
  });

  it('lists tokens newest first without their hashes', async () => {
    await createApiToken(prisma, { email: 'list@example.com', name: 'older' });
    await createApiToken(prisma, { email: 'list@example.com', name: 'newer' });
    const tokens = await listApiTokens(prisma, ' LIST@example.com');
    expect(tokens.map((t) => t.name)).toEqual(['newer', 'older']);
    expect(Object.keys(tokens[0]!).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt'].sort(),
    );
    expect(await listApiTokens(prisma, 'nobody@example.com')).toEqual([]);
  });

  it('refuses a token once revoked; revoking again keeps the first time', async () => {
    const created = await createApiToken(prisma, { email: 'revoke@example.com', name: 'old' });
    expect(await verifyApiToken(prisma, created.token)).not.toBeNull();

    const revoked = await revokeApiToken(prisma, created.id);
    expect(revoked).toMatchObject({ id: created.id, alreadyRevoked: false, revokedAt: expect.any(Date) });
    expect(await verifyApiToken(prisma, created.token)).toBeNull();
    await expectUnauthenticated(created.token, /API token is revoked/);

    const again = await revokeApiToken(prisma, created.id);
    expect(again.alreadyRevoked).toBe(true);
    expect(again.revokedAt).toEqual(revoked.revokedAt);
  });

  it('says clearly when revoking an unknown token id', async () => {
    await expect(revokeApiToken(prisma, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('00000000-0000-4000-8000-000000000000'),
    });
    await expect(revokeApiToken(prisma, 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an expired token', async () => {
    const created = await createApiToken(prisma, {
      email: 'expiry@example.com',
      name: 'short',
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await verifyApiToken(prisma, created.token)).not.toBeNull();
    await prisma.apiToken.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await verifyApiToken(prisma, created.token)).toBeNull();
    await expectUnauthenticated(created.token, /API token has expired/);
  });

  it('refuses an unknown token', async () => {
    const unknown = `hub_${'A'.repeat(43)}`;
    expect(await verifyApiToken(prisma, unknown)).toBeNull();
    await expectUnauthenticated(unknown, /API token is not recognised/);
    await expectUnauthenticated('hub_', /API token is not recognised/);
  });

  it('records the last use, at most about once a minute', async () => {
    const created = await createApiToken(prisma, { email: 'busy@example.com', name: 'busy' });
    const lastUsed = async () => (await prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();

    statements.length = 0;
    await verifyApiToken(prisma, created.token);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    expect(Date.now() - first!.getTime()).toBeLessThan(10_000);

    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 5; i++) await verifyApiToken(prisma, created.token);
    await authenticate(`Bearer ${created.token}`);
    expect(await lastUsed()).toEqual(first);
    expect(statements.filter((sql) => /^UPDATE\b.*api_tokens/is.test(sql))).toHaveLength(1);

    const longAgo = new Date(Date.now() - lastUsedWriteIntervalMs - 5_000);
    await prisma.apiToken.update({ where: { id: created.id }, data: { lastUsedAt: longAgo } });
    await verifyApiToken(prisma, created.token);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(longAgo.getTime() + lastUsedWriteIntervalMs);
  });

  it('does not record a use of a revoked or expired token', async () => {
    const created = await createApiToken(prisma, { email: 'unused@example.com', name: 'unused' });
    await revokeApiToken(prisma, created.id);
    await verifyApiToken(prisma, created.token);
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toBeNull();
  });
});
