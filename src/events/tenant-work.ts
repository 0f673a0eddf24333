import type { PrismaClient } from '../generated/prisma/client.ts';
import type { MarketplaceEventLog } from '../generated/prisma/client.ts';
import { withUser, type TenantTransaction } from '../db/tenant.ts';
import { writeEventLog, type EventLogEntry } from './event-log.ts';
import type { EventPublisher } from './publisher.ts';

/** What a unit of work emits; published only once its transaction has committed. */
export interface Outbox {
  publish(send: (publisher: EventPublisher) => void): void;
  /** Writes an event log entry in the transaction and publishes it after commit. */
  log(entry: Omit<EventLogEntry, 'userId'>): Promise<MarketplaceEventLog>;
}

/**
 * Runs `work` in one transaction as `userId` (RLS applies), then publishes what it
 * queued. A rolled-back transaction publishes nothing, so subscribers never see
 * a change that did not happen.
 */
export async function runAsUser<T>(
  prisma: PrismaClient,
  publisher: EventPublisher,
  userId: string,
  work: (tx: TenantTransaction, outbox: Outbox) => Promise<T>,
): Promise<T> {
  const queued: ((publisher: EventPublisher) => void)[] = [];
  const result = await withUser(prisma, userId, (tx) =>
    work(tx, {
      publish: (send) => queued.push(send),
      log: async (entry) => {
        const event = await writeEventLog(tx, { ...entry, userId });
        queued.push((p) => p.eventLogAdded(event));
        return event;
      },
    }),
  );
  for (const send of queued) send(publisher);
  return result;
}
