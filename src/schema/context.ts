import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';

/** What every resolver receives. Built per request (HTTP) or per operation (WebSocket). */
export interface Context {
  database: Database;
  logger: Logger;
  requestId: string;
}
