import type { Database } from '../db/database.ts';
import { pendingMigrations, type Migration } from '../db/migrate.ts';

export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable';
  pendingMigrations: string[];
}

/** Ready means: the database answers and every migration in the folder is applied. */
export async function checkReadiness(database: Database, migrations: Migration[]): Promise<Readiness> {
  try {
    await database.sql.query('SELECT 1');
  } catch {
    return { ready: false, database: 'unreachable', pendingMigrations: [] };
  }
  const pending = await pendingMigrations(database.sql, migrations);
  return { ready: pending.length === 0, database: 'ok', pendingMigrations: pending };
}
