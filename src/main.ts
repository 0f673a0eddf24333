import { ConfigError, loadConfig } from './config.ts';
import { openMigratedDatabase, databaseTarget } from './db/setup.ts';
import { createLogger } from './logger.ts';
import { createHubServer } from './server/http-server.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee the README's "Configuration" section.\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  const { database, migrations } = await openMigratedDatabase(databaseTarget(config), logger);
  const server = createHubServer({ database, migrations, logger });
  const port = await server.listen(config.port, config.host);
  logger.info({ port, graphql: `http://localhost:${port}/graphql` }, 'hub listening');

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const { forced } = await server.close(config.shutdownTimeoutMs);
    await database.close();
    logger.info({ forced }, 'stopped');
    process.exit(forced ? 1 : 0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
