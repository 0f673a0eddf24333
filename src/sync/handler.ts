import type { Hub } from '../hub.ts';
import type { JobHandler } from './job-context.ts';
import { createConnectorOpener } from './open-connector.ts';
import { runSyncJob } from './run/index.ts';
import type { OpenConnector } from './worker.ts';

/**
 * What the engine runs in `npm start` and `npm run worker`: the one place the
 * job handler (the sync semantics) and the connector opener are chosen.
 */
export function hubSyncParts(hub: Hub): { handler: JobHandler; openConnector: OpenConnector } {
  return { handler: runSyncJob, openConnector: createConnectorOpener(hub) };
}
