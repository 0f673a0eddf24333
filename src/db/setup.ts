import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { openDatabase, type Database, type DatabaseTarget } from './database.ts';
import { applyMigrations, readMigrations, type Migration } from './migrate.ts';

export function databaseTarget(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'server', url: config.databaseUrl, poolSize: config.databasePoolSize }
    : { kind: 'embedded', dataDir: config.dataDir };
}

export class DatabaseRoleError extends Error {
  constructor(role: string) {
    super(
      `The database user "${role}" must be a superuser or have BYPASSRLS: it runs migrations and the ` +
        'job engine, which read across tenants. Tenant requests still run under the hub_app role.',
    );
    this.name = 'DatabaseRoleError';
  }
}

/** Opens the configured database, applies pending migrations and checks the connecting role. */
export async function openMigratedDatabase(
  target: DatabaseTarget,
  logger: Logger,
): Promise<{ database: Database; migrations: Migration[] }> {
  const database = await openDatabase(target);
  try {
    const migrations = await readMigrations();
    const report = await applyMigrations(database.sql, migrations);
    if (report.applied.length) logger.info({ applied: report.applied }, 'migrations applied');
    if (report.modified.length) {
      logger.warn({ modified: report.modified }, 'applied migrations were edited since; they are not re-run');
    }
    const [role] = await database.sql.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    if (!role || !(role.rolsuper || role.rolbypassrls)) throw new DatabaseRoleError(role?.rolname ?? 'unknown');
    logger.info(
      target.kind === 'server'
        ? { database: 'server', url: redactUrl(target.url) }
        : { database: 'embedded', dataDir: 'dataDir' in target ? path.resolve(target.dataDir) : 'memory' },
      'database ready',
    );
    return { database, migrations };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** A connection URL without its password, for logs. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
