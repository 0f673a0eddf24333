import type { Server } from 'node:http';
import { execute, subscribe, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.ts';
import { graphqlPath, type HubYoga } from './yoga.ts';

interface EnvelopedArgs extends ExecutionArgs {
  rootValue: unknown;
  execute: typeof execute;
  subscribe: typeof subscribe;
}

/**
 * graphql-ws on the same port and path as HTTP GraphQL, running every operation
 * through Yoga's envelop so plugins and context apply to both transports.
 */
export function attachGraphqlWebSocket(server: Server, yoga: HubYoga, logger: Logger) {
  const wss = new WebSocketServer({ server, path: graphqlPath });
  const disposable = useServer(
    {
      execute: (args) => (args as EnvelopedArgs).execute(args),
      subscribe: (args) => (args as EnvelopedArgs).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const args: EnvelopedArgs = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
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
        logger.warn({ errors: errors.map((e) => e.message) }, 'websocket operation failed');
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
