// `npm run bench:sync`: the sync engine against a rate-limited fake marketplace over HTTP.
//
//   1. pull       full pull of BENCH_PRODUCTS products (default 100,000)
//   2. resync     1 % changed on the marketplace, incremental pull (updated_since)
//   3. resyncFull 1 % changed again, complete pull (every product read, only the changed written)
//   4. stockPush  every product's stock changed locally, inventory push
//
// Runs on the PostgreSQL server of TEST_DATABASE_URL / DATABASE_URL (in a scratch database
// it creates and drops) or else on embedded PGlite. The handler is driven through the test
// JobContext (test/sync-run/job-context.ts): a commit is one tenant transaction that also
// saves the checkpoint, as the runner's is. The marketplace runs in a child process so its
// catalog does not count in this process's memory. Ends with one JSON line.
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ConnectorCapabilities } from '../src/connectors/contract.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { applyMigrations, readMigrations } from '../src/db/migrate.ts';
import type { SyncDirection, SyncJobType } from '../src/generated/prisma/enums.ts';
import { canonicalFromRemote } from '../src/sync/run/canonical.ts';
import { catalogHash, contentHash } from '../src/sync/run/content-hash.ts';
import { runSyncJob } from '../src/sync/run/index.ts';
import { createPlatformConnector } from '../test/fakes/platform/connector.ts';
import { createJob, runAttempt } from '../test/sync-run/job-context.ts';
import { benchProduct } from './catalog.ts';
import type { PlatformCommand, PlatformStats } from './platform-process.ts';

const settings = {
  products: Number(process.env.BENCH_PRODUCTS ?? 100_000),
  /** The marketplace's budget: requests per second, and the burst its bucket allows. */
  rate: Number(process.env.BENCH_RATE ?? 20),
  burst: 5,
  pageSize: 250,
  writeBatchSize: 100,
  stockBatchSize: 500,
  changedShare: 0.01,
};

interface PhaseFigures {
  wallMs: number;
  /** Time inside commits: the database's share of the phase. */
  commitMs: number;
  calls: number;
  minCalls: number;
  callsRatio: number;
  boundMs: number;
  boundRatio: number;
  rateLimited: number;
  counts: Record<string, number>;
}

// ─── The marketplace, in a child process ────────────────────────────────────────

async function startPlatform() {
  const child = fork(new URL('./platform-process.ts', import.meta.url), [
    JSON.stringify({
      maxPageSize: settings.pageSize,
      maxBatchSize: settings.writeBatchSize,
      maxStockBatchSize: settings.stockBatchSize,
      rateLimit: { capacity: settings.burst, perSecond: settings.rate },
    }),
  ], { execArgv: ['--import', 'tsx'] });
  const waiting: ((message: unknown) => void)[] = [];
  child.on('message', (message) => waiting.shift()?.(message));
  const next = <T>() => new Promise<T>((resolve) => waiting.push(resolve as (message: unknown) => void));
  const ready = await next<{ url: string; token: string }>();
  const ask = <T>(command: PlatformCommand) => {
    const reply = next<T>();
    child.send(command);
    return reply;
  };
  return {
    ...ready,
    seed: (count: number) => ask({ type: 'seed', count }),
    change: async (count: number, round: number) => (await ask<{ skus: string[] }>({ type: 'change', count, total: settings.products, round })).skus,
    stats: async () => (await ask<{ stats: PlatformStats }>({ type: 'stats' })).stats,
    close: () => {
      child.send({ type: 'close' });
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

// ─── The database ───────────────────────────────────────────────────────────────

async function openBenchDatabase(): Promise<{ database: Database; label: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let database: Database;
  let drop = async () => {};
  let label = 'PGlite (embedded, in memory)';
  if (serverUrl) {
    const name = `hub_bench_${randomBytes(5).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    database = await openDatabase({ kind: 'server', url: url.toString(), poolSize: 5 });
    drop = async () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const [version] = await database.sql.query<{ server_version: string }>('SHOW server_version');
    label = `PostgreSQL ${version?.server_version} (server)`;
  } else {
    database = await openDatabase({ kind: 'embedded', memory: true });
  }
  await applyMigrations(database.sql, await readMigrations());
  return {
    database,
    label,
    drop: async () => {
      await database.close();
      await drop();
    },
  };
}

// ─── The run ────────────────────────────────────────────────────────────────────

const platform = await startPlatform();
const { database, label, drop } = await openBenchDatabase();
const { prisma } = database;

try {
  const user = await prisma.user.create({ data: { email: `bench-${randomUUID()}@example.com` } });
  const integration = await prisma.marketplaceIntegration.create({
    data: { userId: user.id, platform: 'woocommerce', accountKey: 'bench', displayName: 'Bench', config: { apiBaseUrl: platform.url } },
  });
  log(`${settings.products.toLocaleString('en')} products · ${label} · marketplace ${settings.rate} requests/s (burst ${settings.burst}) · page ${settings.pageSize}, write batch ${settings.writeBatchSize}, stock batch ${settings.stockBatchSize}`);
  await platform.seed(settings.products);
  const startRssMb = Math.round(process.memoryUsage().rss / 1e6);
  // The baseline first, on the same fresh database the pull then starts from.
  const raw = await rawBulkUpsert(database, user.id, integration.id);

  async function phase(type: SyncJobType, direction: SyncDirection, minCalls: number, capabilities: Partial<ConnectorCapabilities> = {}): Promise<PhaseFigures> {
    const before = await platform.stats();
    const connector = createPlatformConnector({
      baseUrl: platform.url,
      token: platform.token,
      requestsPerSecond: settings.rate,
      limits: { productPageSize: settings.pageSize, orderPageSize: settings.pageSize, writeBatchSize: settings.writeBatchSize, stockBatchSize: settings.stockBatchSize },
      capabilities,
    });
    const job = await createJob(prisma, integration, type, direction);
    const started = performance.now();
    const { context } = await runAttempt(prisma, runSyncJob, job.id, connector);
    const wallMs = performance.now() - started;
    const after = await platform.stats();
    const row = await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: job.id } });
    const calls = after.calls - before.calls;
    const boundMs = (minCalls / settings.rate) * 1000;
    return {
      wallMs,
      commitMs: context.commitMs,
      calls,
      minCalls,
      callsRatio: round(calls / minCalls),
      boundMs,
      boundRatio: round(wallMs / boundMs),
      rateLimited: after.rateLimited - before.rateLimited,
      counts: { created: row.createdCount, updated: row.updatedCount, unchanged: row.unchangedCount, skipped: row.skippedCount, failed: row.failedCount },
    };
  }

  /** Product and mapping rows written since `since` that belong to products the marketplace did not change. */
  async function unchangedWrites(since: Date, changed: string[]): Promise<{ unchanged: number; changed: number }> {
    const [row] = await prisma.$queryRawUnsafe<{ unchanged: number; changed: number }[]>(
      `SELECT (SELECT count(*) FROM products WHERE user_id = $1::uuid AND updated_at >= $2 AND NOT (sku = ANY($3::text[])))
            + (SELECT count(*) FROM marketplace_product_mappings WHERE integration_id = $4::uuid AND updated_at >= $2 AND NOT (external_sku = ANY($3::text[])))
              AS unchanged,
              (SELECT count(*) FROM products WHERE user_id = $1::uuid AND updated_at >= $2 AND sku = ANY($3::text[]))
            + (SELECT count(*) FROM marketplace_product_mappings WHERE integration_id = $4::uuid AND updated_at >= $2 AND external_sku = ANY($3::text[]))
              AS changed`,
      user.id,
      since,
      changed,
      integration.id,
    );
    return { unchanged: Number(row!.unchanged), changed: Number(row!.changed) };
  }

  const pages = (items: number) => Math.ceil(items / settings.pageSize);
  const changedCount = Math.round(settings.products * settings.changedShare);

  const pull = await phase('products', 'pull', pages(settings.products));
  report('pull', pull, `${pull.counts.created} created`);
  const rowsWritten = (pull.counts.created ?? 0) * 2;

  let since = new Date();
  let changed = await platform.change(changedCount, 0);
  const resync = await phase('products', 'pull', pages(changedCount));
  const resyncWrites = await unchangedWrites(since, changed);
  report('resync', resync, `${resync.counts.updated} updated, ${resync.counts.unchanged} unchanged read again, ${resyncWrites.unchanged} writes for unchanged products`);

  since = new Date();
  changed = await platform.change(changedCount, 1);
  const resyncFull = await phase('products', 'pull', pages(settings.products), { incrementalProducts: false });
  const resyncFullWrites = await unchangedWrites(since, changed);
  report('resyncFull', resyncFull, `${resyncFull.counts.updated} updated, ${resyncFull.counts.unchanged} unchanged, ${resyncFullWrites.unchanged} writes for unchanged products`);

  await prisma.$executeRawUnsafe('UPDATE products SET stock = stock + 1, updated_at = now() WHERE user_id = $1::uuid', user.id);
  const stockPush = await phase('inventory', 'push', Math.ceil(settings.products / settings.stockBatchSize));
  report('stockPush', stockPush, `${stockPush.counts.updated} stock updates`);

  const ourRate = rowsWritten / (pull.commitMs / 1000);
  const rawRate = (settings.products * 2) / (raw / 1000);
  log(`database writes (pull): ${fmt(ourRate)} rows/s in commits vs raw INSERT … ON CONFLICT ${fmt(rawRate)} rows/s (same rows, ${settings.pageSize}-row chunks)`);

  const phases = { pull, resync, resyncFull, stockPush };
  const totalWall = Object.values(phases).reduce((sum, figures) => sum + figures.wallMs, 0);
  const totalBound = Object.values(phases).reduce((sum, figures) => sum + figures.boundMs, 0);
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  log(`peak RSS ${rssMb} MB (${startRssMb} MB before the first job: Node, tsx, Prisma's query compiler, drivers) · marketplace writes ${JSON.stringify((await platform.stats()).writes)}`);
  console.log(
    JSON.stringify({
      products: settings.products,
      database: database.kind,
      rate: settings.rate,
      callsRatio: mapValues(phases, (figures) => figures.callsRatio),
      calls: mapValues(phases, (figures) => figures.calls),
      minCalls: mapValues(phases, (figures) => figures.minCalls),
      boundRatio: round(totalWall / totalBound),
      boundRatios: mapValues(phases, (figures) => figures.boundRatio),
      wallSeconds: mapValues(phases, (figures) => round(figures.wallMs / 1000)),
      writeRatio: round(ourRate / rawRate),
      writeRate: Math.round(ourRate),
      rawWriteRate: Math.round(rawRate),
      unchangedWrites: resyncWrites.unchanged + resyncFullWrites.unchanged,
      rateLimited: Object.values(phases).reduce((sum, figures) => sum + figures.rateLimited, 0),
      rssMb,
      startRssMb,
    }),
  );
} finally {
  await drop();
  await platform.close();
}

/**
 * The baseline: the same product and mapping rows upserted with plain SQL into copies of
 * the two tables (same columns and indexes), one transaction per page-sized chunk, as the
 * connecting user — no RLS, no reads, no checkpoint. The copies are dropped afterwards.
 * Returns milliseconds.
 */
async function rawBulkUpsert(db: Database, userId: string, integrationId: string): Promise<number> {
  await db.sql.exec(`
    CREATE TABLE bench_raw_products (LIKE products INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
    CREATE TABLE bench_raw_mappings (LIKE marketplace_product_mappings INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);`);
  const started = performance.now();
  for (let first = 1; first <= settings.products; first += settings.pageSize) {
    const products: object[] = [];
    const mappings: object[] = [];
    for (let index = first; index < Math.min(first + settings.pageSize, settings.products + 1); index++) {
      const fields = benchProduct(index);
      const values = canonicalFromRemote({ ...fields, externalId: `p${index}`, updatedAt: null });
      const productId = randomUUID();
      products.push({ id: productId, user_id: userId, ...fields });
      mappings.push({
        id: randomUUID(),
        user_id: userId,
        integration_id: integrationId,
        product_id: productId,
        external_id: `p${index}`,
        external_sku: fields.sku,
        base_values: values,
        pulled_hash: contentHash(values),
        pushed_hash: catalogHash(values),
      });
    }
    await db.sql.transaction(async (session) => {
      await session.query(
        `INSERT INTO bench_raw_products (id, user_id, sku, title, description, price, currency, stock, images, attributes, status)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, user_id uuid, sku text, title text, description text, price numeric,
                currency text, stock int, images text[], attributes jsonb, status product_status)
         ON CONFLICT (user_id, sku) DO UPDATE SET title = excluded.title, description = excluded.description, price = excluded.price,
                stock = excluded.stock, images = excluded.images, attributes = excluded.attributes, status = excluded.status, updated_at = now()`,
        [JSON.stringify(products)],
      );
      await session.query(
        `INSERT INTO bench_raw_mappings (id, user_id, integration_id, product_id, external_id, external_sku, base_values, pulled_hash, pushed_hash)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, user_id uuid, integration_id uuid, product_id uuid, external_id text,
                external_sku text, base_values jsonb, pulled_hash text, pushed_hash text)
         ON CONFLICT (integration_id, external_id) DO UPDATE SET base_values = excluded.base_values, pulled_hash = excluded.pulled_hash,
                pushed_hash = excluded.pushed_hash, updated_at = now()`,
        [JSON.stringify(mappings)],
      );
    });
  }
  const elapsed = performance.now() - started;
  await db.sql.exec('DROP TABLE bench_raw_products, bench_raw_mappings');
  return elapsed;
}

function report(name: string, figures: PhaseFigures, detail: string) {
  log(
    `${name.padEnd(10)} ${(figures.wallMs / 1000).toFixed(1).padStart(6)} s (rate-limit bound ${(figures.boundMs / 1000).toFixed(1)} s, ×${figures.boundRatio}) · ` +
      `${figures.calls} calls / minimum ${figures.minCalls} (×${figures.callsRatio}), ${figures.rateLimited} answered 429 · ` +
      `${(figures.commitMs / 1000).toFixed(1)} s in commits · ${detail}`,
  );
}

function log(line: string) {
  console.log(line);
}

function round(value: number) {
  return Math.round(value * 100) / 100;
}

function fmt(value: number) {
  return Math.round(value).toLocaleString('en');
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
