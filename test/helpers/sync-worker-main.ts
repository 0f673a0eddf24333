// A sync worker and/or scheduler process for the multi-process tests, running the
// test handler of ./sync.ts against TEST_PROCESS_DATABASE_URL. Logs JSON lines on stdout.
import { openDatabase } from '../../src/db/database.ts';
import { createEventPublisher } from '../../src/events/publisher.ts';
import { createLogger } from '../../src/logger.ts';
import { createSyncScheduler } from '../../src/sync/scheduler.ts';
import { createSyncWorker } from '../../src/sync/worker.ts';
import { openStubConnector, pagedHandler } from './sync.ts';

const env = process.env;
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

const logger = createLogger('info');
const database = await openDatabase({ kind: 'server', url: env.TEST_PROCESS_DATABASE_URL!, poolSize: 4 });
const publisher = createEventPublisher();
const frequencyUnitMs = number('FREQUENCY_UNIT_MS', 60_000);

const worker =
  env.RUN_WORKER === '1'
    ? createSyncWorker({
        prisma: database.prisma,
        publisher,
        logger,
        workerId: env.WORKER_ID ?? `test-process-${process.pid}`,
        concurrency: number('CONCURRENCY', 2),
        leaseMs: number('LEASE_MS', 3000),
        pollMs: number('POLL_MS', 100),
        handler: pagedHandler({
          pages: number('PAGES', 3),
          itemsPerPage: number('ITEMS_PER_PAGE', 2),
          pageDelayMs: number('PAGE_DELAY_MS', 0),
          afterPage: (ctx, page) => logger.info({ jobId: ctx.job.id, page }, 'page committed'),
        }),
        openConnector: openStubConnector,
        frequencyUnitMs,
      })
    : undefined;
const scheduler =
  env.RUN_SCHEDULER === '1'
    ? createSyncScheduler({ prisma: database.prisma, publisher, logger, pattern: env.SCHEDULE_PATTERN, frequencyUnitMs })
    : undefined;

worker?.start();
scheduler?.start();
logger.info({ pid: process.pid }, 'test sync process ready');

process.on('SIGTERM', () => {
  void (async () => {
    await scheduler?.stop();
    await worker?.stop(5000);
    await publisher.close();
    await database.close();
    logger.info('test sync process stopped');
    process.exit(0);
  })();
});
