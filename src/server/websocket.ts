import type { Server } from 'node:http';
import { execute, subscribe, type ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Viewer } from '../auth/authenticate.ts';
import { AppError } from '../errors.ts';
import type { Hub } from '../hub.ts';
import { toGraphQLError } from '../schema/errors.ts';
import { graphqlPath, type HubYoga } from './yoga.ts';

interface EnvelopedArgs extends ExecutionArgs {
  rootValue: unknown;
  execute: typeof execute;
  subscribe: typeof subscribe;
}

type SocketExtra = { viewer?: Viewer };

/** The Authorization value a graphql-ws client sends in its connection_init payload. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.Authorization ?? params?.authorization;
  return typeof value === 'string' ? value : undefined;
}

/**
 * graphql-ws on the same port and path as HTTP GraphQL. connection_init must carry
 * `Authorization: Bearer <token>` (or the socket closes with 4401); every
 * operation re-checks it, so a revoked or expired token stops new subscriptions.
 * Operations run through Yoga's envelop so plugins, limits and context apply to both transports.
 */
export function attachGraphqlWebSocket(server: Server, yoga: HubYoga, hub: Hub) {
  const wss = new WebSocketServer({ server, path: graphqlPath });
  const disposable = useServer<Record<string, unknown>, SocketExtra>(
    {
      execute: (args) => (args as EnvelopedArgs).execute(args),
      subscribe: (args) => (args as EnvelopedArgs).subscribe(args),
      onConnect: async (ctx) => {
        try {
          ctx.extra.viewer = await hub.authenticate(authorizationOf(ctx.connectionParams));
          return true;
        } catch (error) {
          const message = error instanceof AppError ? error.message : 'Unauthorized';
          ctx.extra.socket.close(CloseCode.Unauthorized, message.slice(0, 120));
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        let viewer: Viewer;
        try {
          viewer = await hub.authenticate(authorizationOf(ctx.connectionParams));
        } catch (error) {
          return [error instanceof AppError ? toGraphQLError(error) : new GraphQLError('Unauthorized')];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          socketViewer: viewer,
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax error in the operation.')];
        }
        const args: EnvelopedArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: {},
          execute,
          subscribe,
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
      onError: (_ctx, _id, _payload, errors) => {
        hub.logger.warn({ errors: errors.map((e) => e.message) }, 'websocket operation failed');
      },
    },
    wss,
  );
  return {
    close: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
