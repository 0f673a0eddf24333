import { createAuthenticator } from './auth/authenticate.ts';
import type { Config } from './config.ts';
import { openMigratedDatabase, databaseTarget } from './db/setup.ts';
import { checkRedis, createEventPublisher } from './events/publisher.ts';
import type { Hub } from './hub.ts';
import type { Logger } from './logger.ts';
import { createApiRateLimits } from './schema/rate-limits.ts';
import { loadKeyRing } from './secrets/key-ring.ts';

export interface RunningHub extends Hub {
  /** Closes what assembleHub opened (pub/sub, rate-limit store, database). */
  close(): Promise<void>;
}

/** Opens the database (migrated), the key ring, pub/sub and the authenticator: everything but the HTTP server. */
export async function assembleHub(config: Config, logger: Logger): Promise<RunningHub> {
  const keyRing = await loadKeyRing({ encryptionKeys: config.encryptionKeys, dataDir: config.dataDir });
  const { database, migrations } = await openMigratedDatabase(databaseTarget(config), logger);
  if (config.redisUrl) await checkRedis(config.redisUrl);
  const onRedisError = (error: Error) => logger.warn({ err: error.message }, 'redis connection error');
  const publisher = createEventPublisher(config.redisUrl, onRedisError);
  const rateLimits = createApiRateLimits(config.redisUrl, onRedisError);
  const authenticate = createAuthenticator({
    prisma: database.prisma,
    jwtSecret: config.jwtSecret,
    jwksUrl: config.jwksUrl,
  });
  logger.info({ keyRing: keyRing.source, activeKeyId: keyRing.activeKeyId, pubsub: config.redisUrl ? 'redis' : 'in-process' }, 'hub assembled');
  if (keyRing.keyFile?.created) {
    logger.warn({ keyFile: keyRing.keyFile.path }, 'generated the credential encryption key file: back it up, sealed credentials cannot be opened without it');
  }
  if (config.databaseUrl && keyRing.source === 'file') {
    logger.warn(
      { keyFile: keyRing.keyFile?.path },
      'using a key file with a shared PostgreSQL server: every instance needs the same keys, set ENCRYPTION_KEYS (npm run keys -- generate)',
    );
  }
  return {
    config,
    logger,
    database,
    migrations,
    publisher,
    keyRing,
    authenticate,
    rateLimits,
    close: async () => {
      await publisher.close();
      await rateLimits.close();
      await database.close();
    },
  };
}
