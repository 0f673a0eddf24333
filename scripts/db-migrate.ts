// `npm run db:migrate`: applies pending migrations to the configured database
// (DATABASE_URL, or the embedded one under DATA_DIR) and exits.
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations, MigrationError, readMigrations } from '../src/db/migrate.ts';
import { databaseTarget } from '../src/db/setup.ts';

try {
  const database = await openDatabase(databaseTarget(loadConfig()));
  try {
    const report = await applyMigrations(database.sql, await readMigrations());
    console.log(report.applied.length ? `Applied: ${report.applied.join(', ')}` : 'Database is up to date.');
    for (const name of report.modified) console.warn(`Warning: ${name} was edited after it was applied.`);
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
  throw error;
}
