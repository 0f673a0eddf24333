import type { TenantTransaction } from '../db/tenant.ts';
import type { EventPublisher } from '../events/publisher.ts';
import type { MarketplaceEventLog, MarketplaceIntegration, MarketplaceSyncJob } from '../generated/prisma/client.ts';
import type { JobFence } from './fence.ts';

/** A job's change of state as committed: what to publish once the transaction is over. */
export interface JobTransition {
  job: MarketplaceSyncJob;
  integration: MarketplaceIntegration;
  events: MarketplaceEventLog[];
}

export async function loadTransition(tx: TenantTransaction, fence: JobFence, events: MarketplaceEventLog[]): Promise<JobTransition> {
  const job = await tx.marketplaceSyncJob.findUniqueOrThrow({ where: { id: fence.jobId } });
  const integration = await tx.marketplaceIntegration.findUniqueOrThrow({ where: { id: fence.integrationId } });
  return { job, integration, events };
}

/** The integration and events of a transition (the job itself goes through the progress throttle). */
export function publishTransition(publisher: EventPublisher, { integration, events }: JobTransition): void {
  publisher.integrationUpdated(integration);
  for (const event of events) publisher.eventLogAdded(event);
}
