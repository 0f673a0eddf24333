import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hub } from '../hub.ts';
import { checkReadiness } from './health.ts';
import { attachGraphqlWebSocket } from './websocket.ts';
import { createHubYoga } from './yoga.ts';

export interface HubServer {
  /** Resolves with the port actually bound (useful with PORT=0). */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), closes subscriptions. */
  close(timeoutMs: number): Promise<{ forced: boolean }>;
}

export function createHubServer(hub: Hub): HubServer {
  const { database, migrations, logger } = hub;
  const yoga = createHubYoga(hub);
  let closing = false;
  // Subscriptions over SSE (GraphiQL's transport, which can send headers) never end on their own.
  const eventStreams = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const started = performance.now();
    res.on('finish', () => {
      logger.info(
        { method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      );
    });
    if (closing) res.setHeader('connection', 'close');
    if (req.headers.accept?.includes('text/event-stream')) {
      eventStreams.add(res);
      res.on('close', () => eventStreams.delete(res));
    }
    void route(req, res);
  });

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = req.url?.split('?')[0];
    if (path === '/healthz' && isRead(req)) {
      return sendJson(res, closing ? 503 : 200, { status: closing ? 'shutting down' : 'ok' });
    }
    if (path === '/readyz' && isRead(req)) {
      const readiness = closing ? undefined : await checkReadiness(database, migrations);
      return sendJson(res, readiness?.ready ? 200 : 503, readiness ?? { ready: false, shuttingDown: true });
    }
    return yoga(req, res);
  }

  const websocket = attachGraphqlWebSocket(server, yoga, hub);

  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: async (timeoutMs) => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const stream of eventStreams) stream.destroy();
      await websocket.close();
      let forced = false;
      const timer = setTimeout(() => {
        forced = true;
        server.closeAllConnections();
      }, timeoutMs);
      await closed;
      clearTimeout(timer);
      await yoga.dispose();
      return { forced };
    },
  };
}

function isRead(req: IncomingMessage) {
  return req.method === 'GET' || req.method === 'HEAD';
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
