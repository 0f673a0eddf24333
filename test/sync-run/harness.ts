import type { Connector } from '../../src/connectors/contract.ts';
import type { MarketplaceSyncJob, PrismaClient } from '../../src/generated/prisma/client.ts';
import type { SyncDirection, SyncJobType } from '../../src/generated/prisma/enums.ts';
import type { IntegrationConfig } from '../../src/integrations/settings.ts';
import { runSyncJob } from '../../src/sync/run/index.ts';
import { createPlatformConnector, type PlatformConnectorOptions } from '../fakes/platform/connector.ts';
import { startPlatformFake, type PlatformFake, type PlatformFakeOptions } from '../fakes/platform/server.ts';
import type { ProductFields } from '../fakes/platform/store.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { createJob, runAttempt, type CrashPlan } from './job-context.ts';

/**
 * One test database (PGlite or the server) shared by a test file, and per test a
 * fresh user, integration and fake platform, so tests never see each other's rows.
 */

export interface SyncWorld {
  db: TestDatabase;
  prisma: PrismaClient;
  /** SQL statements that wrote to catalog tables since the last `writes.reset()`. */
  writes: { statements: string[]; reset(): void };
  close(): Promise<void>;
}

const catalogTable = /(products|marketplace_product_mappings|sync_conflicts|orders|order_lines)"?\s/i;

export async function openSyncWorld(): Promise<SyncWorld> {
  const statements: string[] = [];
  const db = await createTestDatabase({
    onQuery: (sql) => {
      if (/^\s*(INSERT|UPDATE|DELETE)/i.test(sql) && catalogTable.test(sql)) statements.push(sql);
    },
  });
  return {
    db,
    prisma: db.database.prisma,
    writes: { statements, reset: () => void statements.splice(0) },
    close: () => db.drop(),
  };
}

export interface Shop {
  fake: PlatformFake;
  userId: string;
  integrationId: string;
  connector(options?: Partial<PlatformConnectorOptions>): Connector;
  /** Queues a job and runs attempts until one ends; `crashes` are applied to the first attempts in turn. */
  sync(type: SyncJobType, direction: SyncDirection, options?: SyncOptions): Promise<SyncRun>;
  job(jobId: string): Promise<MarketplaceSyncJob>;
  close(): Promise<void>;
}

export interface SyncOptions {
  crashes?: CrashPlan[];
  connector?: Partial<PlatformConnectorOptions>;
  scope?: object;
}

export interface SyncRun {
  job: MarketplaceSyncJob;
  outcome: Awaited<ReturnType<typeof runAttempt>>['outcome'];
  /** Errors the crashed attempts died with. */
  crashes: unknown[];
}

let shopCounter = 0;

export async function openShop(
  world: SyncWorld,
  options: { fake?: PlatformFakeOptions; config?: Partial<IntegrationConfig> } = {},
): Promise<Shop> {
  const { prisma } = world;
  const fake = await startPlatformFake(options.fake);
  const user = await prisma.user.create({ data: { email: `shop${++shopCounter}-${Date.now()}@example.com` } });
  const integration = await prisma.marketplaceIntegration.create({
    data: {
      userId: user.id,
      platform: 'woocommerce',
      accountKey: `shop-${shopCounter}`,
      displayName: 'Test platform',
      config: { apiBaseUrl: fake.url, ...options.config },
    },
  });
  const connector = (extra: Partial<PlatformConnectorOptions> = {}) =>
    createPlatformConnector({
      baseUrl: fake.url,
      token: fake.token,
      limits: {
        productPageSize: fake.options.maxPageSize,
        orderPageSize: fake.options.maxPageSize,
        writeBatchSize: fake.options.maxBatchSize,
        stockBatchSize: fake.options.maxStockBatchSize,
      },
      ...extra,
    });
  return {
    fake,
    userId: user.id,
    integrationId: integration.id,
    connector,
    async sync(type, direction, syncOptions = {}) {
      const job = await createJob(prisma, integration, type, direction, syncOptions.scope);
      const crashes: unknown[] = [];
      for (let attempt = 0; ; attempt++) {
        try {
          const { outcome } = await runAttempt(prisma, runSyncJob, job.id, connector(syncOptions.connector), syncOptions.crashes?.[attempt]);
          return { job: await prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: job.id } }), outcome, crashes };
        } catch (error) {
          if (attempt >= (syncOptions.crashes?.length ?? 0) + 2) throw error;
          crashes.push(error);
        }
      }
    },
    job: (jobId) => prisma.marketplaceSyncJob.findUniqueOrThrow({ where: { id: jobId } }),
    close: () => fake.close(),
  };
}

export function productFields(sku: string, overrides: Partial<ProductFields> = {}): ProductFields {
  return {
    sku,
    title: `Product ${sku}`,
    description: null,
    price: '10.00',
    currency: 'EUR',
    stock: 5,
    images: [],
    attributes: {},
    status: 'active',
    ...overrides,
  };
}

/** Products SKU-0001 … on the fake platform, changed an hour ago, one millisecond apart. */
export function seedRemoteCatalog(fake: PlatformFake, count: number, prefix = 'SKU') {
  const start = Date.now() - 3_600_000;
  return Array.from({ length: count }, (_, index) =>
    fake.store.createProduct(productFields(`${prefix}-${String(index + 1).padStart(4, '0')}`), new Date(start + index)),
  );
}
