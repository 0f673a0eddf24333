import type { TenantClient } from '../db/tenant.ts';
import type { Hub, Viewer } from '../hub.ts';
import type { Logger } from '../logger.ts';

/** What every resolver receives. Built per request (HTTP) or per operation (WebSocket), after authentication. */
export interface Context {
  hub: Hub;
  viewer: Viewer;
  /** The caller's database handle: every query runs under Row Level Security as `viewer.userId`. */
  db: TenantClient;
  requestId: string;
  logger: Logger;
}
