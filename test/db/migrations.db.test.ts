import { cp, mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  defaultMigrationsDir,
  MigrationError,
  pendingMigrations,
  readMigrations,
} from '../../src/db/migrate.ts';
import { createEmptyTestDatabase } from '../helpers/database.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyDatabase() {
  const db = await createEmptyTestDatabase();
  cleanups.push(db.drop);
  return db.database;
}

describe('migrations', () => {
  it('apply every migration once; applying again is a no-op', async () => {
    const database = await emptyDatabase();
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(await pendingMigrations(database.sql, migrations)).toEqual(migrations.map((m) => m.name));

    const first = await applyMigrations(database.sql, migrations);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const tablesAfterFirst = await tableNames(database.sql);

    const second = await applyMigrations(database.sql, migrations);
    expect(second).toEqual({ applied: [], modified: [] });
    expect(await tableNames(database.sql)).toEqual(tablesAfterFirst);
    expect(await pendingMigrations(database.sql, migrations)).toEqual([]);
  });

  it("are recorded in Prisma's own table with its checksums, so prisma migrate deploy agrees", async () => {
    const database = await emptyDatabase();
    const migrations = await readMigrations();
    await applyMigrations(database.sql, migrations);
    const rows = await database.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(migrations.map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('create the whole data model', async () => {
    const database = await emptyDatabase();
    await applyMigrations(database.sql, await readMigrations());
    expect(await tableNames(database.sql)).toEqual(
      expect.arrayContaining([
        'users',
        'api_tokens',
        'marketplace_integrations',
        'marketplace_sync_jobs',
        'marketplace_product_mappings',
        'marketplace_webhooks',
        'webhook_deliveries',
        'marketplace_event_logs',
        'products',
        'orders',
        'order_lines',
        'sync_conflicts',
        'oauth_connect_states',
      ]),
    );
  });

  it('a failing migration is rolled back whole, named, and leaves earlier ones applied', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hub-migrations-'));
    await cp(defaultMigrationsDir, dir, { recursive: true });
    const broken = '99990101000000_broken';
    await mkdir(path.join(dir, broken));
    await writeFile(
      path.join(dir, broken, 'migration.sql'),
      'CREATE TABLE half_written (id int);\nALTER TABLE products ADD COLUMN sku int; -- duplicate column\n',
    );
    const database = await emptyDatabase();
    const migrations = await readMigrations(dir);

    const failure = await applyMigrations(database.sql, migrations).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migration).toBe(broken);
    expect((failure as Error).message).toContain(`Migration ${broken} failed`);

    const tables = await tableNames(database.sql);
    expect(tables).not.toContain('half_written');
    expect(tables).toContain('products');
    expect(await pendingMigrations(database.sql, migrations)).toEqual([broken]);
  });

  it('report an applied migration whose file was edited, without re-running it', async () => {
    const database = await emptyDatabase();
    const migrations = await readMigrations();
    await applyMigrations(database.sql, migrations);
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    expect(await applyMigrations(database.sql, edited)).toEqual({ applied: [], modified: [migrations[0]!.name] });
  });
});

async function tableNames(sql: { query<Row>(q: string): Promise<Row[]> }) {
  const rows = await sql.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
  );
  return rows.map((r) => r.tablename);
}
