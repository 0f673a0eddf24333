import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDriver } from './sql-driver.ts';

export const defaultMigrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of the script, as Prisma records it in _prisma_migrations.checksum. */
  checksum: string;
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`Migration ${migration} failed and was rolled back: ${errorText(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

/** Prisma's own bookkeeping table, so `prisma migrate deploy` and this runner agree. */
const createBookkeepingTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Serialises migrators of several instances sharing one database server.
const migrationLockKey = 72_707_369;

export async function readMigrations(dir = defaultMigrationsDir): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export interface MigrationReport {
  applied: string[];
  /** Applied migrations whose file changed since; reported, never re-run. */
  modified: string[];
}

/**
 * Applies every pending migration, each in its own transaction: a failing one is
 * rolled back whole and named in the MigrationError; those before it stay applied.
 * Applying again is a no-op.
 */
export async function applyMigrations(
  db: SqlDriver,
  migrations: Migration[],
): Promise<MigrationReport> {
  const report: MigrationReport = { applied: [], modified: [] };
  for (const migration of migrations) {
    await db
      .transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
        await tx.exec(createBookkeepingTable);
        const [done] = await tx.query<{ checksum: string }>(
          `SELECT checksum FROM "_prisma_migrations"
            WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          [migration.name],
        );
        if (done) {
          if (done.checksum !== migration.checksum) report.modified.push(migration.name);
          return;
        }
        await tx.exec(migration.sql);
        await tx.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        report.applied.push(migration.name);
      })
      .catch((error: unknown) => {
        throw new MigrationError(migration.name, error);
      });
  }
  return report;
}

/** Names of migrations in the folder that the database has not applied. */
export async function pendingMigrations(db: SqlDriver, migrations: Migration[]): Promise<string[]> {
  const [table] = await db.query<{ exists: boolean }>(
    `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`,
  );
  if (!table?.exists) return migrations.map((m) => m.name);
  const rows = await db.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
