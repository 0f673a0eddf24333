import path from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalUrl = (protocols: string[], what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine(
      (value) => value === undefined || isUrlWithProtocol(value, protocols),
      `expected ${what} (${protocols.map((p) => `${p}//…`).join(' or ')})`,
    );

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'expected a TCP port number' })
    .int('expected a whole TCP port number')
    .min(0, 'expected a TCP port between 0 and 65535')
    .max(65535, 'expected a TCP port between 0 and 65535')
    .default(4000),
  HOST: z.string().trim().min(1, 'expected a host name or address to listen on').default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1, 'expected a folder path').default('./data'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'a PostgreSQL connection URL'),
  REDIS_URL: optionalUrl(['redis:', 'rediss:'], 'a Redis URL'),
  LOG_LEVEL: z.enum(logLevels, { error: `expected one of ${logLevels.join(', ')}` }).default('info'),
  JWT_SECRET: z
    .string()
    .optional()
    .refine((value) => value === undefined || value.length >= 32, 'expected at least 32 characters'),
  JWKS_URL: optionalUrl(['https:', 'http:'], 'an http(s) URL of a JSON Web Key Set'),
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'expected a number of connections' })
    .int('expected a whole number of connections')
    .min(1, 'expected at least 1 connection')
    .max(200, 'expected at most 200 connections')
    .default(10),
  ENCRYPTION_KEYS: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine(
      (value) => value === undefined || /^[A-Za-z0-9._-]+:[A-Za-z0-9+/=_-]+(,[A-Za-z0-9._-]+:[A-Za-z0-9+/=_-]+)*$/.test(value),
      'expected comma-separated keyId:base64Key pairs (32-byte keys), the active key first',
    ),
  ALLOW_LOCAL_URLS: z
    .enum(['true', 'false', '1', '0', ''], { error: 'expected true or false' })
    .optional()
    .transform((value) => value === 'true' || value === '1'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a duration in milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(0, 'expected a positive duration')
    .default(10_000),
  SYNC_CONCURRENCY: z.coerce
    .number({ error: 'expected a number of jobs' })
    .int('expected a whole number of jobs')
    .min(0, 'expected 0 (no sync worker) or more jobs')
    .max(64, 'expected at most 64 jobs')
    .default(2),
  SYNC_LEASE_SECONDS: z.coerce
    .number({ error: 'expected a duration in seconds' })
    .int('expected a whole number of seconds')
    .min(5, 'expected at least 5 seconds')
    .max(3600, 'expected at most 3600 seconds')
    .default(30),
  SCHEDULER_ENABLED: z
    .enum(['true', 'false', '1', '0', ''], { error: 'expected true or false' })
    .optional()
    .transform((value) => value === undefined || value === '' || value === 'true' || value === '1'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: (typeof logLevels)[number];
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
  databasePoolSize: number;
  /** Raw key ring from ENCRYPTION_KEYS; undefined = use (or create) the key file under dataDir. */
  encryptionKeys: string | undefined;
  /** Development and tests only: marketplace base URLs may be http and point at local or private addresses. */
  allowLocalUrls: boolean;
  shutdownTimeoutMs: number;
  /** Sync jobs each process runs at once (0: this process runs none). */
  syncConcurrency: number;
  /** How long a worker's claim on a job lasts without a heartbeat before another worker may resume it. */
  syncLeaseSeconds: number;
  /** Whether this process enqueues scheduled syncs (safe on every instance). */
  schedulerEnabled: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid environment configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    jwtSecret: e.JWT_SECRET,
    jwksUrl: e.JWKS_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    encryptionKeys: e.ENCRYPTION_KEYS,
    allowLocalUrls: e.ALLOW_LOCAL_URLS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    syncConcurrency: e.SYNC_CONCURRENCY,
    syncLeaseSeconds: e.SYNC_LEASE_SECONDS,
    schedulerEnabled: e.SCHEDULER_ENABLED,
  };
}

function isUrlWithProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** For process entry points: a bad environment ends the process with exit code 2 and the problems listed. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee the README's "Configuration" section.\n`);
    process.exit(2);
  }
}
