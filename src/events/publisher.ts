import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type {
  MarketplaceEventLog,
  MarketplaceIntegration,
  MarketplaceSyncJob,
} from '../generated/prisma/client.ts';

/** An integration as published: the sealed credentials never travel through pub/sub. */
export type PublishedIntegration = Omit<MarketplaceIntegration, 'credentialsSealed'>;

type Topics = {
  'syncJob:updated': [jobId: string, job: MarketplaceSyncJob];
  'integration:jobUpdated': [integrationId: string, job: MarketplaceSyncJob];
  'integration:updated': [integrationId: string, integration: PublishedIntegration];
  'user:eventLogAdded': [userId: string, event: MarketplaceEventLog];
};

/**
 * The one way events leave the process: sync progress, integration changes and
 * event log entries. In-process by default; across instances through Redis when
 * REDIS_URL is set. Payloads are JSON-safe rows (dates become strings over Redis).
 */
export interface EventPublisher {
  syncJobUpdated(job: MarketplaceSyncJob): void;
  integrationUpdated(integration: MarketplaceIntegration | PublishedIntegration): void;
  eventLogAdded(event: MarketplaceEventLog): void;
  subscribe<Topic extends keyof Topics>(topic: Topic, id: Topics[Topic][0]): AsyncIterable<Topics[Topic][1]>;
  close(): Promise<void>;
}

export function createEventPublisher(redisUrl?: string, onRedisError: (error: Error) => void = () => undefined): EventPublisher {
  let connections: Redis[] = [];
  let eventTarget;
  if (redisUrl) {
    const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
    const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
    connections = [publishClient, subscribeClient];
    // ioredis reconnects by itself; without a listener it prints every failed attempt.
    for (const client of connections) client.on('error', onRedisError);
    eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  }
  const pubsub = createPubSub<Topics>(eventTarget ? { eventTarget } : undefined);

  return {
    syncJobUpdated(job) {
      pubsub.publish('syncJob:updated', job.id, job);
      pubsub.publish('integration:jobUpdated', job.integrationId, job);
    },
    integrationUpdated(integration) {
      const { credentialsSealed: _sealed, ...published } = integration as MarketplaceIntegration;
      pubsub.publish('integration:updated', integration.id, published);
    },
    eventLogAdded(event) {
      pubsub.publish('user:eventLogAdded', event.userId, event);
    },
    subscribe: (topic, id) => (pubsub.subscribe as (t: string, i: string) => AsyncIterable<never>)(topic, id),
    close: async () => {
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** Fails with a clear message when REDIS_URL does not answer, so a misconfigured instance does not start. */
export async function checkRedis(redisUrl: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`REDIS_URL does not answer (${error instanceof Error ? error.message : String(error)}); start Redis or unset REDIS_URL.`);
  } finally {
    client.disconnect();
  }
}
