import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DatabaseOptions, type DatabaseTarget } from '../../src/db/database.ts';
import { applyMigrations, readMigrations, type Migration } from '../../src/db/migrate.ts';

/**
 * Database tests (`*.db.test.ts`) run on embedded PGlite by default and on a
 * PostgreSQL server when TEST_DATABASE_URL is set (CI runs both). On a server each
 * test file gets a database of its own, dropped afterwards.
 */
export const testServerUrl = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase {
  database: Database;
  migrations: Migration[];
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/** A fresh, empty database (no migrations applied). */
export async function createEmptyTestDatabase(options: DatabaseOptions = {}): Promise<Omit<TestDatabase, 'migrations'>> {
  if (!testServerUrl) {
    const target: DatabaseTarget = { kind: 'embedded', memory: true };
    const database = await openDatabase(target, options);
    return { database, target, drop: () => database.close() };
  }
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { kind: 'server', url: url.toString(), poolSize: 5 };
  const database = await openDatabase(target, options);
  return {
    database,
    target,
    drop: async () => {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A fresh database with every migration applied. */
export async function createTestDatabase(options: DatabaseOptions = {}): Promise<TestDatabase> {
  const empty = await createEmptyTestDatabase(options);
  const migrations = await readMigrations();
  await applyMigrations(empty.database.sql, migrations);
  return { ...empty, migrations };
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: testServerUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
