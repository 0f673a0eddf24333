import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { SignJWT } from 'jose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openDatabase } from '../../src/db/database.ts';
import { runHub } from '../helpers/hub-process.ts';

// The zero-configuration path of `npm start`: no variable but a data folder and a free port.
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'hub-data-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const jwtSecret = 'lifecycle-test-secret-of-at-least-32-chars';

async function startHub() {
  const hub = runHub({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: jwtSecret });
  const port = await hub.listening;
  return { hub, baseUrl: `http://127.0.0.1:${port}` };
}

describe('the hub process', () => {
  it('starts on embedded PostgreSQL, keeps its data across restarts, and refuses a second process on the same data', async () => {
    const first = await startHub();
    expect((await fetch(`${first.baseUrl}/readyz`)).status).toBe(200);
    expect(first.hub.stdout()).toContain('"migrations applied"');

    const second = runHub({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
    expect((await second.exited).code).toBe(1);
    expect(second.stderr()).toMatch(/embedded database in .* is in use by process/);

    first.hub.kill('SIGTERM');
    expect((await first.hub.exited).code).toBe(0);

    const database = await openDatabase({ kind: 'embedded', dataDir });
    await database.prisma.user.create({ data: { email: 'persisted@example.com' } });
    await database.close();

    const restarted = await startHub();
    expect((await fetch(`${restarted.baseUrl}/readyz`)).status).toBe(200);
    expect(restarted.hub.stdout()).not.toContain('"migrations applied"');
    restarted.hub.kill('SIGTERM');
    expect((await restarted.hub.exited).code).toBe(0);

    const reopened = await openDatabase({ kind: 'embedded', dataDir });
    expect(await reopened.prisma.user.count({ where: { email: 'persisted@example.com' } })).toBe(1);
    await reopened.close();
  });

  it('on SIGTERM stops accepting, finishes the request in flight, closes subscriptions, exits 0', async () => {
    const { hub, baseUrl } = await startHub();
    const port = Number(new URL(baseUrl).port);

    const token = await new SignJWT({ sub: randomUUID() })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(jwtSecret));
    const socketClosed = new Promise<number>((resolve) => {
      createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        connectionParams: { Authorization: `Bearer ${token}` },
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
    });

    // A subscription over SSE, as GraphiQL opens them: it must end, not hold the shutdown.
    const sse = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription { eventLogAdded { id } }' }),
    });
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const sseEnded = sse.text().then(
      () => 'ended',
      () => 'ended',
    );

    // A request whose body is still arriving when the signal lands.
    const body = JSON.stringify({ query: '{ platform(id: etsy) { displayName } }' });
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        hub.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 300);
    });

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text)).toEqual({ data: { platform: { displayName: 'Etsy' } } });
    expect(await socketClosed).toBe(1001);
    expect(await sseEnded).toBe('ended');
    const exit = await hub.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(hub.stdout()).toContain('"forced":false');
    await expect(fetch(`${baseUrl}/healthz`)).rejects.toThrow();
  });
});
