import type { CanonicalProduct, StockUpdate, WriteResult } from '../../connectors/contract.ts';
import type { TenantTransaction } from '../../db/tenant.ts';
import type { MappingStatus } from '../../generated/prisma/enums.ts';
import { canonicalFields, canonicalFromRow, readBaseValues, type BaseValues } from './canonical.ts';
import { catalogHash, contentHash } from './content-hash.ts';
import type { PhaseRun, PhaseStep } from './phase-run.ts';
import { recordMappingResults } from './mapping-results.ts';
import { prefetched } from './prefetch.ts';

/**
 * inventory push: mapped products whose stock or price differs from what the
 * marketplace last held (mapping.base_values) are sent in batches of the
 * connector's stockBatchSize. Stock writes are absolute, so a batch resent after
 * a crash is harmless and needs no intent. Stock the marketplace owns is never pushed.
 */

interface InventoryPushState {
  /** Last mapping id scanned (mappings are scanned in id order). */
  after: string | null;
  /** Mappings scanned but not yet sent: reloaded on resume. */
  pending: string[];
  finished: boolean;
}

/** A mapping to send, with its product as the catalog has it now. */
interface Candidate {
  id: string;
  externalId: string;
  status: MappingStatus;
  base: BaseValues | null;
  pulledHash: string | null;
  pushedHash: string | null;
  local: CanonicalProduct;
}

type Step = PhaseStep<InventoryPushState>;

/** Mappings examined per scan step (in id order); the changed ones among them become candidates. */
const sliceSize = 2000;
const progressEveryMs = 2000;

export async function pushInventory(run: PhaseRun<InventoryPushState>): Promise<void> {
  if (run.connector.capabilities.marketplaceOwnsStock) {
    await run.commit(async () => ({ state: { after: null, pending: [], finished: true }, notes: ['skipped: the marketplace owns stock'] }));
    return;
  }
  await new InventoryPush(run).execute();
}

class InventoryPush {
  private state: InventoryPushState;
  private pending: Candidate[] = [];
  /** The batch sent last, whose results are committed while the next one is on its way. */
  private inFlight: { batch: Candidate[]; results: Promise<WriteResult[]> } | null = null;
  private scanned = 0;
  private lastCommitAt = Date.now();
  private readonly batchSize: number;

  constructor(private readonly run: PhaseRun<InventoryPushState>) {
    this.state = run.resumed ?? { after: null, pending: [], finished: false };
    this.batchSize = Math.max(1, run.connector.limits.stockBatchSize);
  }

  async execute(): Promise<void> {
    if (this.state.finished) return;
    this.pending = await this.candidates('AND m.id = ANY($2::uuid[])', [this.state.pending]);
    const total = this.state.after === null ? await this.countChanged() : null;
    for (;;) {
      this.run.context.signal.throwIfAborted();
      const slice = await this.nextSlice(this.state.after);
      if (slice.end === null) break;
      const rows = await this.candidates(
        `AND m.id <= $2::uuid ${this.state.after ? 'AND m.id > $3::uuid' : ''} ORDER BY m.id`,
        this.state.after ? [slice.end, this.state.after] : [slice.end],
      );
      this.pending.push(...rows);
      this.scanned += rows.length;
      this.state = { ...this.state, after: slice.end };
      while (this.pending.length >= this.batchSize) await this.send(total);
      if (slice.size < sliceSize) break;
      if (Date.now() - this.lastCommitAt > progressEveryMs) await this.commit(total);
    }
    while (this.pending.length > 0) await this.send(total);
    await this.settleInFlight(total);
    this.state = { ...this.state, finished: true };
    await this.commit(total);
  }

  /** Sends the next batch, and commits the previous one's results while it travels. */
  private async send(total: number | null): Promise<void> {
    const batch = this.pending.slice(0, this.batchSize);
    const results = prefetched(this.run.connector.updateStock(batch.map(stockUpdateOf)));
    await this.settleInFlight(total);
    this.pending = this.pending.slice(batch.length);
    this.inFlight = { batch, results };
  }

  private async settleInFlight(total: number | null): Promise<void> {
    if (!this.inFlight) return;
    const { batch, results } = this.inFlight;
    const answered = await results;
    this.inFlight = null;
    await this.commit(total, async (tx) => {
      const outcome = await recordStockResults(tx, batch, answered);
      return { counts: { updated: outcome.updated }, failures: outcome.failures };
    });
  }

  /** Saves the position; every batch not yet committed (the one in flight included) stays pending. */
  private async commit(total: number | null, work: (tx: TenantTransaction) => Promise<Omit<Step, 'state'>> = async () => ({})) {
    const unsettled = [...(this.inFlight?.batch ?? []), ...this.pending];
    const state: InventoryPushState = { ...this.state, pending: unsettled.map((candidate) => candidate.id) };
    const scanned = this.scanned;
    await this.run.commit(async (tx) => ({ ...(await work(tx)), state, processed: scanned, ...(total !== null && { total }) }));
    this.state = state;
    this.scanned -= scanned;
    this.lastCommitAt = Date.now();
  }

  /**
   * The next slice of the integration's mappings in id order (its last id and size).
   * Scanning by slices keeps every query small whatever the planner thinks of the
   * "changed" filter; asked directly for "the next 1000 changed", it may sort them all.
   */
  private async nextSlice(after: string | null): Promise<{ end: string | null; size: number }> {
    const [row] = await this.run.reader.$queryRawUnsafe<{ end: string | null; size: number }[]>(
      `WITH slice AS (
         SELECT id FROM marketplace_product_mappings
          WHERE integration_id = $1::uuid ${after ? 'AND id > $2::uuid' : ''}
          ORDER BY id LIMIT ${sliceSize})
       SELECT id::text AS end, (SELECT count(*) FROM slice)::int AS size FROM slice ORDER BY id DESC LIMIT 1`,
      this.run.integrationId,
      ...(after ? [after] : []),
    );
    return { end: row?.end ?? null, size: row?.size ?? 0 };
  }

  /** Changed mappings of this integration (with their products), narrowed by `condition` on $2…. One query, no IN lists. */
  private async candidates(condition: string, params: unknown[], tail = ''): Promise<Candidate[]> {
    const rows = await this.run.reader.$queryRawUnsafe<CandidateRow[]>(
      `SELECT m.id, m.external_id, m.status::text AS status, m.base_values, m.pulled_hash, m.pushed_hash,
              p.sku, p.title, p.description, p.price::text AS price, p.currency, p.stock, p.images, p.attributes,
              p.status::text AS product_status
         FROM marketplace_product_mappings m JOIN products p ON p.id = m.product_id
        WHERE ${changedCondition} ${condition} ${tail}`,
      this.run.integrationId,
      ...params,
    );
    return rows.map(candidateOf);
  }

  private async countChanged(): Promise<number> {
    const [row] = await this.run.reader.$queryRawUnsafe<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM marketplace_product_mappings m JOIN products p ON p.id = m.product_id
        WHERE ${changedCondition}`,
      this.run.integrationId,
    );
    return row?.count ?? 0;
  }
}

/** Live mappings of integration $1 whose stock or price moved away from the base (or that have none). */
const changedCondition = `m.integration_id = $1::uuid
          AND m.status IN ('synced', 'pending', 'error')
          AND p.deleted_at IS NULL
          AND (m.base_values IS NULL
               OR (m.base_values->>'stock')::int IS DISTINCT FROM p.stock
               OR (m.base_values->>'price')::numeric IS DISTINCT FROM p.price)`;

interface CandidateRow {
  id: string;
  external_id: string;
  status: MappingStatus;
  base_values: unknown;
  pulled_hash: string | null;
  pushed_hash: string | null;
  sku: string;
  title: string;
  description: string | null;
  price: string;
  currency: string;
  stock: number;
  images: string[];
  attributes: Record<string, unknown>;
  product_status: CanonicalProduct['status'];
}

function candidateOf(row: CandidateRow): Candidate {
  return {
    id: row.id,
    externalId: row.external_id,
    status: row.status,
    base: readBaseValues(row.base_values),
    pulledHash: row.pulled_hash,
    pushedHash: row.pushed_hash,
    local: canonicalFromRow({ ...row, status: row.product_status }),
  };
}

function stockUpdateOf(candidate: Candidate): StockUpdate {
  const { local, base } = candidate;
  return { externalId: candidate.externalId, sku: local.sku, stock: local.stock, ...(base?.price !== local.price && { price: local.price }) };
}

function recordStockResults(tx: TenantTransaction, batch: Candidate[], results: WriteResult[]) {
  return recordMappingResults(tx, {
    phase: 'inventory-push',
    batch,
    results,
    identify: (candidate) => ({ mappingId: candidate.id, sku: candidate.local.sku, externalId: candidate.externalId }),
    succeeded: (candidate, now) => ({ ...afterStockPush(candidate), last_pushed_at: now }),
    columns: stockPushedColumns,
  });
}

const stockPushedColumns = {
  base_values: 'jsonb',
  pulled_hash: 'text',
  pushed_hash: 'text',
  status: 'mapping_status',
  sync_error: 'text',
  last_pushed_at: 'timestamptz',
};

/**
 * The mapping once the marketplace holds the local stock and price: the base moves,
 * and the hashes — when they described the old base — move with it, so the next
 * pull and push see nothing new.
 */
function afterStockPush(candidate: Candidate) {
  const { local } = candidate;
  const before: BaseValues = candidate.base ?? {};
  const after: BaseValues = { ...before, stock: local.stock, price: local.price };
  const complete = (values: BaseValues): values is CanonicalProduct => canonicalFields.every((field) => field in values);
  let { pulledHash, pushedHash } = candidate;
  if (complete(before) && complete(after)) {
    if (pulledHash === contentHash(before)) pulledHash = contentHash(after);
    if (pushedHash === catalogHash(before)) pushedHash = catalogHash(after);
  }
  const inStep = pushedHash === catalogHash(local);
  return {
    base_values: after,
    pulled_hash: pulledHash,
    pushed_hash: pushedHash,
    status: inStep ? 'synced' : candidate.status === 'error' ? 'pending' : candidate.status,
    sync_error: null,
  };
}
