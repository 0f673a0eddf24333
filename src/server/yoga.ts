import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { forUser } from '../db/tenant.ts';
import { AppError } from '../errors.ts';
import type { Hub, Viewer } from '../hub.ts';
import type { Context } from '../schema/context.ts';
import { createErrorMask, toGraphQLError } from '../schema/errors.ts';
import { schema } from '../schema/index.ts';

export const graphqlPath = '/graphql';

/** What the transport gives Yoga: the Node request for HTTP, or the WebSocket's authenticated viewer. */
export interface ServerContext {
  req: IncomingMessage;
  res?: ServerResponse;
  /** Set by the WebSocket transport, which authenticated the operation already. */
  socketViewer?: Viewer;
}

export type HubYoga = YogaServerInstance<ServerContext, Context>;

/** Limits that bound the cost of any one operation (graphql-armor). */
export const operationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2_000,
  maxDirectives: 20,
  maxCost: 20_000,
};

export function createHubYoga(hub: Hub): HubYoga {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: graphqlPath,
    landingPage: false,
    graphiql: {
      title: 'Marketplace Integrations Hub',
      // GraphiQL sends its Headers tab with each SSE request; over WebSocket it would not put the
      // token in connection_init. Programmatic clients use graphql-ws on the same path.
      subscriptionsProtocol: 'SSE',
      headers: JSON.stringify({ Authorization: 'Bearer <token from npm run token -- create --user you@example.com>' }),
    },
    maskedErrors: { maskError: createErrorMask(hub.logger) },
    logging: {
      debug: (...args) => hub.logger.debug({ yoga: args }, 'yoga'),
      info: (...args) => hub.logger.info({ yoga: args }, 'yoga'),
      warn: (...args) => hub.logger.warn({ yoga: args }, 'yoga'),
      error: (...args) => hub.logger.error({ yoga: args }, 'yoga'),
    },
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: operationLimits.maxDepth },
        maxAliases: { n: operationLimits.maxAliases },
        maxTokens: { n: operationLimits.maxTokens },
        maxDirectives: { n: operationLimits.maxDirectives },
        costLimit: { maxCost: operationLimits.maxCost },
        blockFieldSuggestion: { enabled: true },
      }),
    ],
    context: async ({ req, socketViewer }): Promise<Context> => {
      const requestId = randomUUID();
      let caller: Viewer;
      try {
        caller = socketViewer ?? (await hub.authenticate(req.headers.authorization));
      } catch (error) {
        if (error instanceof AppError) throw toGraphQLError(error);
        throw error;
      }
      return {
        hub,
        viewer: caller,
        db: forUser(hub.database.prisma, caller.userId),
        requestId,
        logger: hub.logger.child({ requestId, userId: caller.userId }),
      };
    },
  });
}
