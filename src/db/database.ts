import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { pgliteDriver, pgPoolDriver, type SqlDriver } from './sql-driver.ts';

export type DatabaseKind = 'embedded' | 'server';

/**
 * One open database. `prisma` runs as the connecting user (migrations, the job
 * engine's cross-tenant claims); tenant work goes through `forUser` (tenant.ts),
 * which runs under the hub_app role that Row Level Security applies to.
 */
export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  sql: SqlDriver;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'server'; url: string; poolSize?: number }
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'embedded'; memory: true };

export interface DatabaseOptions {
  /** Called with every SQL statement Prisma sends (query counting in tests, trace logging). */
  onQuery?: (sql: string) => void;
}

export async function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Promise<Database> {
  return target.kind === 'server'
    ? openServer(target.url, target.poolSize ?? 10, options)
    : openEmbedded(target, options);
}

function createPrismaClient(adapter: SqlDriverAdapterFactory, options: DatabaseOptions): PrismaClient {
  const { onQuery } = options;
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => onQuery(event.query));
  return prisma;
}

async function openServer(url: string, poolSize: number, options: DatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'marketplace-hub' });
  // An idle client's network error must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const prisma = createPrismaClient(new PrismaPg(pool), options);
  return {
    kind: 'server',
    prisma,
    sql: pgPoolDriver(pool),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openEmbedded(target: { dataDir: string } | { memory: true }, options: DatabaseOptions): Promise<Database> {
  let lock: DataDirLock | undefined;
  let pglite: PGlite;
  if ('dataDir' in target) {
    await mkdir(target.dataDir, { recursive: true, mode: 0o700 });
    lock = await acquireDataDirLock(target.dataDir);
    pglite = await PGlite.create(path.join(target.dataDir, 'pglite'));
  } else {
    pglite = await PGlite.create();
  }
  const prisma = createPrismaClient(new PrismaPGlite(pglite), options);
  return {
    kind: 'embedded',
    prisma,
    sql: pgliteDriver(pglite),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      await lock?.release();
    },
  };
}
