import { randomUUID } from 'node:crypto';
import type { CanonicalProduct, RemoteProduct, WriteResult } from '../../connectors/contract.ts';
import type { TenantTransaction } from '../../db/tenant.ts';
import type { MarketplaceProductMapping, Product } from '../../generated/prisma/client.ts';
import { bulkInsert, mappingInsertColumns } from './bulk-sql.ts';
import { canonicalFromProduct, canonicalFromRemote, readBaseValues } from './canonical.ts';
import { catalogHash, contentHash } from './content-hash.ts';
import { recordMappingResults } from './mapping-results.ts';
import type { PhaseRun, PhaseStep } from './phase-run.ts';
import type { ItemFailure } from './run-checkpoint.ts';

/**
 * products push: local products whose catalog hash differs from what the
 * marketplace was last known to hold (mapping.pushed_hash), or that have no
 * mapping yet, are updated / created in batches of the connector's
 * writeBatchSize; unchanged products cost no call. Candidates are gathered across
 * the scan so every batch but the last is full.
 *
 * Creates are the one write that is not idempotent: before sending a batch, its
 * SKUs are committed as an intent; a resumed job with an intent asks the
 * marketplace for those SKUs first and links what already exists
 * (check-before-retry), so a lost response never becomes a duplicate listing.
 */

interface PushState {
  /** Last product id scanned (products are scanned in id order). */
  after: string | null;
  /** Products scanned but not yet pushed: reloaded on resume. */
  pending: { creates: string[]; updates: string[] };
  /** SKUs of a create batch sent (or about to be) whose results are not committed. */
  intent: { skus: string[] } | null;
  finished: boolean;
}

interface Candidate {
  product: Product;
  mapping: MarketplaceProductMapping | undefined;
  values: CanonicalProduct;
}

type ScannedProduct = Product & { mappings: MarketplaceProductMapping[] };
type Step = PhaseStep<PushState>;

const scanPageSize = 500;
const progressEveryMs = 2000;

export async function pushProducts(run: PhaseRun<PushState>): Promise<void> {
  await new ProductPush(run).execute();
}

class ProductPush {
  private state: PushState;
  private creates: Candidate[] = [];
  private updates: Candidate[] = [];
  /** Scan tallies not yet committed (they go with the next commit, like the scan position). */
  private scanned = { processed: 0, unchanged: 0, skipped: 0 };
  private lastCommitAt = Date.now();
  private readonly batchSize: number;

  constructor(private readonly run: PhaseRun<PushState>) {
    this.state = run.resumed ?? { after: null, pending: { creates: [], updates: [] }, intent: null, finished: false };
    this.batchSize = Math.max(1, run.connector.limits.writeBatchSize);
  }

  async execute(): Promise<void> {
    if (this.state.finished) return;
    if (this.state.intent) await this.settleIntent(this.state.intent.skus);
    await this.reloadPending();
    const total = await this.run.reader.product.count({ where: { deletedAt: null } });
    for (;;) {
      this.run.context.signal.throwIfAborted();
      const rows = await this.run.reader.product.findMany({
        where: { deletedAt: null, ...(this.state.after && { id: { gt: this.state.after } }) },
        include: { mappings: { where: { integrationId: this.run.integrationId } } },
        orderBy: { id: 'asc' },
        take: scanPageSize,
      });
      for (const row of rows) this.classify(row);
      if (rows.length > 0) this.state = { ...this.state, after: rows[rows.length - 1]!.id };
      while (this.creates.length >= this.batchSize) await this.sendCreates(total);
      while (this.updates.length >= this.batchSize) await this.sendUpdates(total);
      if (rows.length < scanPageSize) break;
      if (Date.now() - this.lastCommitAt > progressEveryMs) await this.commit(total);
    }
    while (this.creates.length > 0) await this.sendCreates(total);
    while (this.updates.length > 0) await this.sendUpdates(total);
    this.state = { ...this.state, finished: true };
    await this.commit(total);
  }

  /** Sorts a product into creates, updates or nothing; `firstSight` false for a reloaded one (counted already). */
  private classify(row: ScannedProduct, firstSight = true): void {
    const mapping = row.mappings[0];
    const values = this.outgoingValues(row, mapping);
    const count = (tally: 'unchanged' | 'skipped') => {
      if (firstSight) this.scanned[tally] += 1;
    };
    if (!mapping) {
      if (row.status === 'archived') count('skipped');
      else this.creates.push({ product: row, mapping, values });
    } else if (mapping.status === 'deleted' || mapping.status === 'missing' || mapping.status === 'conflict') {
      // Gone (or maybe gone) from the marketplace, or waiting for the user: pushing would guess.
      count('skipped');
    } else if (catalogHash(values) === mapping.pushedHash) {
      count('unchanged');
    } else {
      this.updates.push({ product: row, mapping, values });
    }
    if (firstSight) this.scanned.processed += 1;
  }

  /** The product as sent: stock the marketplace owns is sent back as the marketplace last had it. */
  private outgoingValues(product: Product, mapping: MarketplaceProductMapping | undefined): CanonicalProduct {
    const values = canonicalFromProduct(product);
    if (!this.run.connector.capabilities.marketplaceOwnsStock) return values;
    const baseStock = readBaseValues(mapping?.baseValues)?.stock;
    return baseStock === undefined ? values : { ...values, stock: baseStock };
  }

  private async sendCreates(total: number): Promise<void> {
    const batch = this.creates.slice(0, this.batchSize);
    const skus = batch.map((candidate) => candidate.values.sku);
    await this.commit(total, { intent: { skus } });
    const results = await this.run.connector.createProducts(batch.map((candidate) => candidate.values));
    this.creates = this.creates.slice(batch.length);
    await this.commit(total, {
      intent: null,
      work: async (tx) => {
        const outcome = await recordCreates(tx, this.run, batch, results);
        return { counts: { created: outcome.created }, failures: outcome.failures };
      },
    });
  }

  private async sendUpdates(total: number): Promise<void> {
    const batch = this.updates.slice(0, this.batchSize);
    const results = await this.run.connector.updateProducts(
      batch.map((candidate) => ({ ...candidate.values, externalId: candidate.mapping!.externalId })),
    );
    this.updates = this.updates.slice(batch.length);
    await this.commit(total, {
      work: async (tx) => {
        const outcome = await recordUpdates(tx, batch, results);
        return { counts: { updated: outcome.updated }, failures: outcome.failures };
      },
    });
  }

  /**
   * Check-before-retry: links the marketplace products a lost create batch made.
   * The batch stays pending; reloaded afterwards, what got linked is no longer a create.
   */
  private async settleIntent(skus: string[]): Promise<void> {
    const existing = await this.run.connector.findProductsBySku(skus);
    await this.commit(null, {
      intent: null,
      pending: this.state.pending,
      work: async (tx) => {
        const linked = await linkExisting(tx, this.run, existing);
        return { counts: { created: linked }, figures: { recoveredCreates: linked } };
      },
    });
  }

  /** Candidates a previous attempt scanned but did not push, re-read (one may have changed since). */
  private async reloadPending(): Promise<void> {
    const ids = [...this.state.pending.creates, ...this.state.pending.updates];
    if (ids.length === 0) return;
    const rows = await this.run.reader.product.findMany({
      where: { id: { in: ids }, deletedAt: null },
      include: { mappings: { where: { integrationId: this.run.integrationId } } },
      orderBy: { id: 'asc' },
    });
    for (const row of rows) this.classify(row, false);
  }

  /**
   * Commits a step with everything the checkpoint must say at that moment: the
   * scan position, the candidates still pending, the create intent, and the scan
   * tallies since the last commit (counted only once the position covering them is saved).
   */
  private async commit(
    total: number | null,
    step: {
      work?: (tx: TenantTransaction) => Promise<Omit<Step, 'state'>>;
      intent?: PushState['intent'];
      /** Defaults to the candidates held in memory. */
      pending?: PushState['pending'];
    } = {},
  ): Promise<void> {
    const { work = async (): Promise<Omit<Step, 'state'>> => ({}), intent = this.state.intent } = step;
    const state: PushState = {
      ...this.state,
      intent,
      pending: step.pending ?? { creates: this.creates.map(idOf), updates: this.updates.map(idOf) },
    };
    const scanned = this.scanned;
    await this.run.commit(async (tx) => {
      const done = await work(tx);
      return {
        ...done,
        state,
        processed: scanned.processed,
        ...(total !== null && { total }),
        counts: { ...done.counts, unchanged: scanned.unchanged, skipped: scanned.skipped },
      };
    });
    this.state = state;
    this.scanned = { processed: 0, unchanged: 0, skipped: 0 };
    this.lastCommitAt = Date.now();
  }
}

function idOf(candidate: Candidate): string {
  return candidate.product.id;
}

async function recordCreates(
  tx: TenantTransaction,
  run: PhaseRun<PushState>,
  batch: Candidate[],
  results: WriteResult[],
): Promise<{ created: number; failures: ItemFailure[] }> {
  const resultOf = new Map(results.map((result) => [result.sku, result]));
  const now = new Date();
  const mappings: Record<string, unknown>[] = [];
  const failures: ItemFailure[] = [];
  for (const candidate of batch) {
    const result = resultOf.get(candidate.values.sku);
    if (result?.ok) {
      mappings.push({
        ...pushedColumns(candidate.values, now),
        ...newMappingIdentity(run, candidate.product.id, result.externalId, candidate.values.sku),
        external_variant_id: null,
        remote_updated_at: null,
        last_pulled_at: null,
      });
    } else {
      failures.push({ phase: 'products-push', sku: candidate.values.sku, error: result?.error ?? 'The marketplace returned no result for this product' });
    }
  }
  // A marketplace that answers a create with an already-linked listing's id must not fail the batch.
  const created = await bulkInsert(tx, 'marketplace_product_mappings', mappingInsertColumns, mappings, { skipConflicts: true });
  return { created, failures };
}

function recordUpdates(tx: TenantTransaction, batch: Candidate[], results: WriteResult[]) {
  return recordMappingResults(tx, {
    phase: 'products-push',
    batch,
    results,
    identify: (candidate) => ({ mappingId: candidate.mapping!.id, sku: candidate.values.sku, externalId: candidate.mapping!.externalId }),
    succeeded: (candidate, now) => ({ ...pushedColumns(candidate.values, now), sync_error: null }),
    columns: pushedColumnTypes,
  });
}

const pushedColumnTypes = {
  base_values: 'jsonb',
  pushed_hash: 'text',
  pulled_hash: 'text',
  last_pushed_at: 'timestamptz',
  status: 'mapping_status',
  sync_error: 'text',
};

/** After a successful write the marketplace holds exactly what was sent: that is the new base. */
function pushedColumns(values: CanonicalProduct, now: Date) {
  return {
    status: 'synced',
    base_values: values,
    pushed_hash: catalogHash(values),
    pulled_hash: contentHash(values),
    last_pushed_at: now,
  };
}

function newMappingIdentity(run: PhaseRun<PushState>, productId: string, externalId: string, externalSku: string) {
  return { id: randomUUID(), user_id: run.userId, integration_id: run.integrationId, product_id: productId, external_id: externalId, external_sku: externalSku };
}

/** Links marketplace products found by SKU to the unmapped local products with those SKUs. */
async function linkExisting(tx: TenantTransaction, run: PhaseRun<PushState>, existing: RemoteProduct[]): Promise<number> {
  if (existing.length === 0) return 0;
  const products = await tx.product.findMany({
    where: { userId: run.userId, sku: { in: existing.map((remote) => remote.sku) }, deletedAt: null, mappings: { none: { integrationId: run.integrationId } } },
  });
  const productBySku = new Map(products.map((product) => [product.sku, product]));
  const now = new Date();
  const mappings: Record<string, unknown>[] = [];
  for (const remote of existing) {
    const product = productBySku.get(remote.sku);
    if (!product) continue;
    productBySku.delete(remote.sku);
    const remoteValues = canonicalFromRemote(remote);
    const inStep = catalogHash(canonicalFromProduct(product)) === catalogHash(remoteValues);
    mappings.push({
      ...pushedColumns(remoteValues, now),
      ...newMappingIdentity(run, product.id, remote.externalId, remote.sku),
      status: inStep ? 'synced' : 'pending',
      external_variant_id: remote.externalVariantId ?? null,
      remote_updated_at: remote.updatedAt,
      last_pulled_at: null,
    });
  }
  return bulkInsert(tx, 'marketplace_product_mappings', mappingInsertColumns, mappings, { skipConflicts: true });
}
