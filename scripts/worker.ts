// npm run worker: sync workers and the scheduler, no HTTP server. Several can run
// against one PostgreSQL server (DATABASE_URL) next to `npm start` instances.
import { loadConfigOrExit } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { assembleHub } from '../src/start.ts';
import { createSyncEngine } from '../src/sync/engine.ts';
import { hubSyncParts } from '../src/sync/handler.ts';

async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const hub = await assembleHub(config, logger);
  const engine = createSyncEngine(hub, { ...hubSyncParts(hub), concurrency: Math.max(1, config.syncConcurrency) });
  logger.info({ scheduler: Boolean(engine.scheduler) }, 'sync worker process ready');

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await engine.stop(config.shutdownTimeoutMs);
    await hub.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
