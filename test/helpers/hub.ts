import { createApiToken } from '../../src/auth/api-tokens.ts';
import { createAuthenticator } from '../../src/auth/authenticate.ts';
import { loadConfig } from '../../src/config.ts';
import { createEventPublisher } from '../../src/events/publisher.ts';
import type { Hub } from '../../src/hub.ts';
import { createLogger } from '../../src/logger.ts';
import { createApiRateLimits } from '../../src/schema/rate-limits.ts';
import { generateKey, parseKeyRing } from '../../src/secrets/key-ring.ts';
import { createHubServer, type HubServer } from '../../src/server/http-server.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestHub {
  hub: Hub;
  db: TestDatabase;
  server: HubServer;
  baseUrl: string;
  /** A new user with an API token; returns the Authorization header value too. */
  newUser(email?: string): Promise<{ userId: string; token: string; authorization: string }>;
  stop(): Promise<void>;
}

let userCounter = 0;

/** A whole hub on a fresh test database, served on a free port of 127.0.0.1. */
export async function startTestHub(
  env: Record<string, string> = {},
  options: { onQuery?: (sql: string) => void } = {},
): Promise<TestHub> {
  const db = await createTestDatabase(options);
  const key = generateKey();
  const config = loadConfig({ ALLOW_LOCAL_URLS: 'true', LOG_LEVEL: 'silent', ...env });
  const logger = createLogger(config.logLevel);
  const publisher = createEventPublisher(config.redisUrl);
  const rateLimits = createApiRateLimits(config.redisUrl);
  const hub: Hub = {
    config,
    logger,
    database: db.database,
    migrations: db.migrations,
    publisher,
    keyRing: parseKeyRing(`${key.keyId}:${key.base64Key}`),
    authenticate: createAuthenticator({ prisma: db.database.prisma, jwtSecret: config.jwtSecret, jwksUrl: config.jwksUrl }),
    rateLimits,
  };
  const server = createHubServer(hub);
  const port = await server.listen(0, '127.0.0.1');
  return {
    hub,
    db,
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    newUser: async (email = `user${++userCounter}-${Date.now()}@example.com`) => {
      const created = await createApiToken(db.database.prisma, { email, name: 'test' });
      return { userId: created.userId, token: created.token, authorization: `Bearer ${created.token}` };
    },
    stop: async () => {
      await server.close(1000);
      await publisher.close();
      await rateLimits.close();
      await db.drop();
    },
  };
}
