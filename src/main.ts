import { loadConfigOrExit } from './config.ts';
import { createLogger } from './logger.ts';
import { createHubServer } from './server/http-server.ts';
import { assembleHub } from './start.ts';
import { createSyncEngine } from './sync/engine.ts';
import { hubSyncParts } from './sync/handler.ts';

async function main() {
  const config = loadConfigOrExit();

  const logger = createLogger(config.logLevel);
  const hub = await assembleHub(config, logger);
  const server = createHubServer(hub);
  if (!(await hub.database.prisma.apiToken.count())) {
    logger.info(
      { command: 'npm run token -- create --user you@example.com' },
      'no API token yet: create one with this command (stop the hub first when it uses the embedded database), then send it as "Authorization: Bearer <token>"',
    );
  }
  const port = await server.listen(config.port, config.host);
  logger.info({ port, graphql: `http://localhost:${port}/graphql` }, 'hub listening');
  const engine = createSyncEngine(hub, hubSyncParts(hub));
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const [{ forced }] = await Promise.all([server.close(config.shutdownTimeoutMs), engine.stop(config.shutdownTimeoutMs)]);
    await hub.close();
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
