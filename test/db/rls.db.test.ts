import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRole, forUser, withUser } from '../../src/db/tenant.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
let prisma: PrismaClient;
let alice: string;
let bob: string;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.database.prisma;
  alice = (await prisma.user.create({ data: { email: 'alice@example.com' } })).id;
  bob = (await prisma.user.create({ data: { email: 'bob@example.com' } })).id;
  for (const [userId, sku] of [
    [alice, 'A-1'],
    [alice, 'A-2'],
    [bob, 'B-1'],
  ] as const) {
    await prisma.product.create({ data: { userId, sku, title: sku, price: '9.90', currency: 'EUR' } });
  }
});

afterAll(async () => {
  await db?.drop();
});

describe('Row Level Security', () => {
  it('is enabled and forced on every table that holds tenant data, with a policy', async () => {
    const tables = await db.database.sql.query<{
      table: string;
      rls: boolean;
      forced: boolean;
      policies: number;
    }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname AND p.schemaname = n.nspname) AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname = current_schema()
         AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped)
              OR c.relname = 'users')
       ORDER BY 1`);
    expect(tables.length).toBeGreaterThanOrEqual(13);
    for (const table of tables) {
      expect(table, table.table).toMatchObject({ rls: true, forced: true });
      expect(table.policies, table.table).toBeGreaterThan(0);
    }
  });

  it('binds the application role: not a superuser, no BYPASSRLS, owns no table', async () => {
    const [role] = await db.database.sql.query<{ rolsuper: boolean; rolbypassrls: boolean; owned: number }>(
      `SELECT rolsuper, rolbypassrls,
              (SELECT count(*)::int FROM pg_tables WHERE tableowner = $1) AS owned
         FROM pg_roles WHERE rolname = $1`,
      [appRole],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it('runs tenant queries as the application role', async () => {
    const [row] = await forUser(prisma, alice).$queryRaw<{ role: string; user_id: string }[]>`
      SELECT current_user AS role, current_setting('app.user_id') AS user_id`;
    expect(row).toEqual({ role: appRole, user_id: alice });
  });

  it('shows a user only their rows, even through an unfiltered query', async () => {
    const asAlice = forUser(prisma, alice);
    expect((await asAlice.product.findMany({ orderBy: { sku: 'asc' } })).map((p) => p.sku)).toEqual(['A-1', 'A-2']);
    expect(await asAlice.product.count()).toBe(2);
    const raw = await asAlice.$queryRaw<{ sku: string }[]>`SELECT sku FROM products ORDER BY sku`;
    expect(raw.map((r) => r.sku)).toEqual(['A-1', 'A-2']);
    expect((await asAlice.user.findMany()).map((u) => u.email)).toEqual(['alice@example.com']);
  });

  it("treats another user's row like a missing one", async () => {
    const bobsProduct = await prisma.product.findFirstOrThrow({ where: { userId: bob } });
    const asAlice = forUser(prisma, alice);
    expect(await asAlice.product.findUnique({ where: { id: bobsProduct.id } })).toBeNull();
    const updated = await asAlice.product.updateMany({ where: { id: bobsProduct.id }, data: { title: 'stolen' } });
    expect(updated.count).toBe(0);
    const deleted = await asAlice.product.deleteMany({ where: { userId: bob } });
    expect(deleted.count).toBe(0);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: bobsProduct.id } })).title).toBe('B-1');
  });

  it("refuses to write a row for another user", async () => {
    await expect(
      forUser(prisma, alice).product.create({
        data: { userId: bob, sku: 'SNEAKY', title: 'x', price: '1', currency: 'EUR' },
      }),
    ).rejects.toThrow(/row-level security/);
    expect(await prisma.product.count({ where: { sku: 'SNEAKY' } })).toBe(0);
  });

  it('keeps the user id inside its transaction: an interactive transaction sees one user, then nothing leaks', async () => {
    const skus = await withUser(prisma, bob, async (tx) => (await tx.product.findMany()).map((p) => p.sku));
    expect(skus).toEqual(['B-1']);
    const [after] = await db.database.sql.query<{ user_id: string | null; role: string }>(
      `SELECT NULLIF(current_setting('app.user_id', true), '') AS user_id, current_user AS role`,
    );
    expect(after?.user_id ?? null).toBeNull();
    expect(after?.role).not.toBe(appRole);
  });

  it('shows nothing to the application role when no user is set', async () => {
    const rows = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('role', ${appRole}, true)`;
      return tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM products`;
    });
    expect(rows[0]?.n).toBe(0);
  });
});
