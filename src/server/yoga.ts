import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Context } from '../schema/context.ts';
import { schema } from '../schema/index.ts';

export const graphqlPath = '/graphql';

interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

export type HubYoga = YogaServerInstance<ServerContext, Context>;

export function createHubYoga(database: Database, logger: Logger): HubYoga {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: graphqlPath,
    landingPage: false,
    graphiql: {
      title: 'Marketplace Integrations Hub',
      subscriptionsProtocol: 'WS',
    },
    logging: {
      debug: (...args) => logger.debug({ yoga: args }, 'yoga'),
      info: (...args) => logger.info({ yoga: args }, 'yoga'),
      warn: (...args) => logger.warn({ yoga: args }, 'yoga'),
      error: (...args) => logger.error({ yoga: args }, 'yoga'),
    },
    context: (): Omit<Context, keyof ServerContext> => {
      const requestId = randomUUID();
      return { database, requestId, logger: logger.child({ requestId }) };
    },
  });
}
