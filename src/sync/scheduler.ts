import { Cron } from 'croner';
import { writeEventLog } from '../events/event-log.ts';
import type { EventPublisher } from '../events/publisher.ts';
import { Prisma, type MarketplaceEventLog, type MarketplaceSyncJob, type PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { interval, slotStart } from './sql.ts';

export interface SyncSchedulerOptions {
  /** The system client: the scan is cross-tenant. */
  prisma: PrismaClient;
  publisher: EventPublisher;
  logger: Logger;
  /** When ticks are proposed (croner, with seconds): every 5 seconds by default. */
  pattern?: string;
  /** Length of one sync_frequency_minutes unit: a minute, shorter only in tests. */
  frequencyUnitMs?: number;
  /** Most jobs enqueued per tick; the next tick takes the rest. */
  batchSize?: number;
}

export interface SyncScheduler {
  start(): void;
  /** Stops proposing ticks and waits for the one in progress. */
  stop(): Promise<void>;
  /** One scheduling pass; returns the jobs this pass enqueued. */
  tick(): Promise<MarketplaceSyncJob[]>;
}

export const defaultSchedulePattern = '*/5 * * * * *';

/**
 * Enqueues a full sync for every integration that is due. croner only proposes
 * ticks: on the database clock, each due integration's slot is now() truncated to
 * its frequency (epoch-aligned), and the unique (integration_id, schedule_slot)
 * index lets exactly one of several scheduler instances insert the slot's job.
 */
export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const { prisma, publisher, logger } = options;
  const frequencyUnitMs = options.frequencyUnitMs ?? 60_000;
  const batchSize = options.batchSize ?? 200;
  let cron: Cron | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  async function tick(): Promise<MarketplaceSyncJob[]> {
    const { jobs, events } = await prisma.$transaction(
      async (tx) => {
        const inserted = await tx.$queryRaw<{ id: string }[]>`
          WITH due AS (
            SELECT i.id, i.user_id, i.sync_direction,
                   ${interval(frequencyUnitMs)} * i.sync_frequency_minutes AS frequency,
                   ${slotStart(Prisma.raw('i.sync_frequency_minutes'), frequencyUnitMs)} AS slot
              FROM marketplace_integrations i
             WHERE i.auto_sync_enabled
               AND i.status <> 'disconnected'
               AND (i.next_sync_at IS NULL OR i.next_sync_at <= now())
               AND NOT EXISTS (
                     SELECT 1 FROM marketplace_sync_jobs j
                      WHERE j.integration_id = i.id AND j.status IN ('queued', 'running'))
             ORDER BY i.next_sync_at NULLS FIRST, i.id
             LIMIT ${batchSize}::int
          ), inserted AS (
            INSERT INTO marketplace_sync_jobs (user_id, integration_id, type, direction, trigger, schedule_slot)
            SELECT user_id, id, 'full', sync_direction, 'schedule', slot FROM due
            ON CONFLICT (integration_id, schedule_slot) DO NOTHING
            RETURNING id, integration_id, schedule_slot
          ), advanced AS (
            UPDATE marketplace_integrations i
               SET next_sync_at = inserted.schedule_slot + due.frequency, updated_at = now()
              FROM inserted JOIN due ON due.id = inserted.integration_id
             WHERE i.id = inserted.integration_id
          )
          SELECT id FROM inserted`;
        if (!inserted.length) return { jobs: [], events: [] };
        const jobs = await tx.marketplaceSyncJob.findMany({ where: { id: { in: inserted.map((row) => row.id) } } });
        const events: MarketplaceEventLog[] = [];
        for (const job of jobs) {
          events.push(
            await writeEventLog(tx, {
              userId: job.userId,
              integrationId: job.integrationId,
              syncJobId: job.id,
              type: 'sync_queued',
              source: 'scheduler',
              message: `Scheduled full sync (${job.direction}) queued`,
              data: { type: job.type, direction: job.direction, scheduleSlot: job.scheduleSlot },
            }),
          );
        }
        return { jobs, events };
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
    for (const job of jobs) publisher.syncJobUpdated(job);
    for (const event of events) publisher.eventLogAdded(event);
    if (jobs.length) logger.info({ queued: jobs.length }, 'scheduled syncs queued');
    return jobs;
  }

  return {
    start() {
      cron ??= new Cron(
        options.pattern ?? defaultSchedulePattern,
        { protect: true, catch: (error) => logger.error({ err: error }, 'scheduling syncs failed; the next tick tries again') },
        async () => {
          const run = tick();
          inFlight = run.catch(() => undefined);
          await run;
        },
      );
      logger.info({ pattern: cron.getPattern() }, 'sync scheduler started');
    },
    async stop() {
      cron?.stop();
      await inFlight;
    },
    tick,
  };
}
