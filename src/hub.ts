import type { Authenticate, Viewer } from './auth/authenticate.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Migration } from './db/migrate.ts';
import type { EventPublisher } from './events/publisher.ts';
import type { Logger } from './logger.ts';
import type { KeyRing } from './secrets/key-ring.ts';
import type { ApiRateLimits } from './schema/rate-limits.ts';

/** The assembled service: what resolvers, routes and workers are given. Built by src/start.ts. */
export interface Hub {
  config: Config;
  logger: Logger;
  database: Database;
  migrations: Migration[];
  publisher: EventPublisher;
  keyRing: KeyRing;
  authenticate: Authenticate;
  rateLimits: ApiRateLimits;
}

export type { Viewer };
