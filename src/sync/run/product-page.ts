import { randomUUID } from 'node:crypto';
import type { CanonicalProduct, RemoteProduct } from '../../connectors/contract.ts';
import type { TenantTransaction } from '../../db/tenant.ts';
import { Prisma, type SyncConflict } from '../../generated/prisma/client.ts';
import type { MappingStatus } from '../../generated/prisma/enums.ts';
import { bulkInsert, bulkUpdate, mappingInsertColumns, productInsertColumns, productValueColumns } from './bulk-sql.ts';
import { canonicalFromRemote, productColumns, readBaseValues, sameValue, stableStringify, type BaseValues } from './canonical.ts';
import { catalogHash, contentHash } from './content-hash.ts';
import { lockProductsById, lockProductsBySku, type LockedProduct } from './locks.ts';
import { mergeProduct, type FieldConflict, type MergePolicy } from './merge.ts';

/**
 * Applies one page of marketplace products to the local catalog in the caller's
 * transaction: unchanged items (same hash as last pulled) cost no write; known
 * items are merged three-way; unknown ones are linked to the local product with
 * the same SKU, or created. All writes are batched per page.
 */

export interface PageScope {
  tx: TenantTransaction;
  userId: string;
  integrationId: string;
  jobId: string;
  policy: MergePolicy;
}

export interface PageTally {
  counts: { created: number; updated: number; unchanged: number; skipped: number };
  figures: { linked: number; conflicts: number; revived: number; duplicateSkus: number };
}

/** A marketplace item with its canonical values and their content hash, computed once. */
interface Pulled {
  item: RemoteProduct;
  remote: CanonicalProduct;
  hash: string;
}

/** The mapping columns a page reads. */
interface Mapping {
  id: string;
  productId: string;
  externalId: string;
  externalSku: string | null;
  status: MappingStatus;
  baseValues: unknown;
  pulledHash: string | null;
  pushedHash: string | null;
  missedPulls: number;
  syncError: string | null;
  lastPulledAt: Date | null;
}

type Row = Record<string, unknown>;
type IdRow = { id: string } & Row;
type PulledColumns = ReturnType<PageWrites['pulledColumns']>;

const pulledMappingColumns = {
  base_values: 'jsonb',
  pulled_hash: 'text',
  pushed_hash: 'text',
  remote_updated_at: 'timestamptz',
  last_pulled_at: 'timestamptz',
  missed_pulls: 'int',
  status: 'mapping_status',
  external_sku: 'text',
  external_variant_id: 'text',
  sync_error: 'text',
};

export async function applyProductPage(scope: PageScope, items: RemoteProduct[]): Promise<PageTally> {
  const { tx, integrationId } = scope;
  const tally: PageTally = {
    counts: { created: 0, updated: 0, unchanged: 0, skipped: 0 },
    figures: { linked: 0, conflicts: 0, revived: 0, duplicateSkus: 0 },
  };
  const mappings = await tx.$queryRawUnsafe<Mapping[]>(
    `SELECT id, product_id AS "productId", external_id AS "externalId", external_sku AS "externalSku", status::text AS status,
            base_values AS "baseValues", pulled_hash AS "pulledHash", pushed_hash AS "pushedHash", missed_pulls AS "missedPulls",
            sync_error AS "syncError", last_pulled_at AS "lastPulledAt"
       FROM marketplace_product_mappings WHERE integration_id = $1::uuid AND external_id = ANY($2::text[])`,
    integrationId,
    items.map((item) => item.externalId),
  );
  const mappingOf = new Map(mappings.map((mapping) => [mapping.externalId, mapping]));
  const known: { pulled: Pulled; mapping: Mapping }[] = [];
  const unknown: Pulled[] = [];
  for (const item of items) {
    const remote = canonicalFromRemote(item);
    const pulled = { item, remote, hash: contentHash(remote) };
    const mapping = mappingOf.get(item.externalId);
    if (!mapping) unknown.push(pulled);
    else if (isUnchanged(mapping, pulled.hash)) tally.counts.unchanged += 1;
    else known.push({ pulled, mapping });
  }
  if (known.length === 0 && unknown.length === 0) return tally;

  const writes = new PageWrites(scope);
  const productIds = known.map(({ mapping }) => mapping.productId);
  const skus = unknown.map(({ item }) => item.sku);
  const productById = new Map((await lockProductsById(tx, integrationId, productIds)).map((product) => [product.id, product]));
  const productBySku = new Map((await lockProductsBySku(tx, integrationId, scope.userId, skus)).map((product) => [product.sku, product]));
  const conflictRows = known.length === 0 ? [] : await conflictsOf(tx, known.map(({ mapping }) => mapping));

  for (const { pulled, mapping } of known) {
    const product = productById.get(mapping.productId);
    if (!product || product.deletedAt) {
      tally.counts.skipped += 1;
      continue;
    }
    if (mapping.status === 'missing' || mapping.status === 'deleted') tally.figures.revived += 1;
    const conflicts = conflictRows.filter((conflict) => conflict.mappingId === mapping.id);
    const effect = writes.merge(pulled, product, mapping, conflicts);
    tally.counts[effect] += 1;
  }

  const claimedSkus = new Set<string>();
  for (const pulled of unknown) {
    const { item } = pulled;
    const product = productBySku.get(item.sku);
    if (claimedSkus.has(item.sku) || product?.linked) {
      // Another marketplace item already holds this SKU here: linking both would merge two listings into one product.
      tally.counts.skipped += 1;
      tally.figures.duplicateSkus += 1;
      continue;
    }
    claimedSkus.add(item.sku);
    if (product) {
      tally.figures.linked += 1;
      tally.counts[writes.merge(pulled, product, null, [])] += 1;
    } else {
      writes.create(pulled);
      tally.counts.created += 1;
    }
  }
  tally.figures.conflicts = writes.conflictCount;
  await writes.flush();
  return tally;
}

/**
 * Same content as last pulled, nothing to undo from a deletion check, and no
 * local edit waiting (`pending`: its merge may settle the base, e.g. after a
 * conflict was resolved with the marketplace's value).
 */
function isUnchanged(mapping: Mapping, remoteHash: string): boolean {
  return (
    mapping.missedPulls === 0 &&
    (mapping.status === 'synced' || mapping.status === 'error' || mapping.status === 'conflict') &&
    mapping.pulledHash === remoteHash
  );
}

/** The page's writes, gathered so that each table gets one or two statements. */
class PageWrites {
  private readonly newProducts: Row[] = [];
  private readonly newMappings: Row[] = [];
  private readonly productUpdates: IdRow[] = [];
  private readonly mappingUpdates: IdRow[] = [];
  private readonly newConflicts: Prisma.SyncConflictCreateManyInput[] = [];
  private readonly conflictChanges: { id: string; data: Prisma.SyncConflictUpdateInput }[] = [];
  private readonly events: Prisma.MarketplaceEventLogCreateManyInput[] = [];
  private readonly now = new Date();
  conflictCount = 0;

  constructor(private readonly scope: PageScope) {}

  create(pulled: Pulled): void {
    const productId = randomUUID();
    this.newProducts.push({ id: productId, user_id: this.scope.userId, ...productColumns(pulled.remote) });
    this.newMappings.push(this.newMapping(randomUUID(), productId, this.pulledColumns(pulled, pulled.remote, 'synced')));
  }

  /**
   * Merges a remote item into its local product; `mapping` null links by SKU.
   * `conflicts` are the mapping's open ones and those resolved since its last pull.
   * Returns the local effect.
   */
  merge(pulled: Pulled, product: LockedProduct, mapping: Mapping | null, conflicts: SyncConflict[]): 'updated' | 'unchanged' {
    const { item, remote } = pulled;
    const local = product.values;
    const open = conflicts.filter((conflict) => conflict.status === 'open');
    const result = mergeProduct(
      {
        local,
        remote,
        base: mapping ? settledBase(readBaseValues(mapping.baseValues), conflicts, mapping, remote) : null,
        localChangedAt: product.fieldUpdatedAt,
        remoteChangedAt: item.updatedAt,
      },
      this.scope.policy,
    );
    if (result.localChanged.length > 0) this.productUpdates.push({ id: product.id, ...productColumns(result.merged) });
    const mappingId = mapping?.id ?? randomUUID();
    const stillOpen = this.settleConflicts(product, mappingId, result.conflicts, open, result.merged);
    const status: MappingStatus =
      stillOpen > 0 ? 'conflict' : contentHash(result.merged) === pulled.hash ? 'synced' : 'pending';
    const columns = this.pulledColumns(pulled, result.base, status);
    if (!mapping) this.newMappings.push(this.newMapping(mappingId, product.id, columns));
    // A mapping with nothing new to record (e.g. a pending local edit the marketplace did not touch) is not rewritten.
    else if (!mappingUnchanged(mapping, columns)) this.mappingUpdates.push({ id: mapping.id, ...columns });
    return result.localChanged.length > 0 ? 'updated' : 'unchanged';
  }

  async flush(): Promise<void> {
    const { tx } = this.scope;
    await bulkInsert(tx, 'products', productInsertColumns, this.newProducts);
    await bulkInsert(tx, 'marketplace_product_mappings', mappingInsertColumns, this.newMappings);
    await bulkUpdate(tx, 'products', productValueColumns, this.productUpdates);
    await bulkUpdate(tx, 'marketplace_product_mappings', pulledMappingColumns, this.mappingUpdates);
    if (this.newConflicts.length) await tx.syncConflict.createMany({ data: this.newConflicts });
    for (const change of this.conflictChanges) await tx.syncConflict.update({ where: { id: change.id }, data: change.data });
    if (this.events.length) await tx.marketplaceEventLog.createMany({ data: this.events });
  }

  /** The mapping columns a pull sets: the marketplace's values as base and hashes, and the item's identity. */
  private pulledColumns({ item, remote, hash }: Pulled, base: BaseValues, status: MappingStatus) {
    return {
      base_values: base,
      pulled_hash: hash,
      pushed_hash: catalogHash(remote),
      remote_updated_at: item.updatedAt,
      last_pulled_at: this.now,
      missed_pulls: 0,
      status,
      external_sku: item.sku,
      external_variant_id: item.externalVariantId ?? null,
      sync_error: null,
      external_id: item.externalId,
    };
  }

  private newMapping(id: string, productId: string, columns: PulledColumns): Row {
    const { missed_pulls: _missed, sync_error: _error, ...rest } = columns;
    return { ...rest, id, product_id: productId, user_id: this.scope.userId, integration_id: this.scope.integrationId, last_pushed_at: null };
  }

  /**
   * One open conflict per field: a new disagreement opens one (or refreshes the
   * open one's values); an open conflict whose field both sides now agree on is
   * settled by the sync. Returns how many stay open.
   */
  private settleConflicts(
    product: LockedProduct,
    mappingId: string,
    conflicts: FieldConflict[],
    open: SyncConflict[],
    merged: CanonicalProduct,
  ): number {
    const fresh: FieldConflict[] = [];
    for (const conflict of conflicts) {
      const existing = open.find((row) => row.field === conflict.field);
      if (existing) {
        this.conflictChanges.push({ id: existing.id, data: { localValue: json(conflict.local), remoteValue: json(conflict.remote) } });
      } else {
        fresh.push(conflict);
      }
    }
    for (const row of open) {
      if (conflicts.some((conflict) => conflict.field === row.field)) continue;
      const agreed = (merged as unknown as Record<string, unknown>)[row.field];
      this.conflictChanges.push({ id: row.id, data: { status: 'resolved', resolvedAt: this.now, resolvedValue: json(agreed) } });
    }
    if (fresh.length > 0) this.recordConflicts(product, mappingId, fresh);
    this.conflictCount += fresh.length;
    return conflicts.length;
  }

  private recordConflicts(product: LockedProduct, mappingId: string, conflicts: FieldConflict[]): void {
    const { userId, integrationId, jobId } = this.scope;
    for (const conflict of conflicts) {
      this.newConflicts.push({
        id: randomUUID(),
        userId,
        integrationId,
        productId: product.id,
        mappingId,
        syncJobId: jobId,
        field: conflict.field,
        localValue: json(conflict.local),
        remoteValue: json(conflict.remote),
        baseValue: json(conflict.base),
      });
    }
    const fields = conflicts.map((conflict) => conflict.field);
    this.events.push({
      userId,
      integrationId,
      syncJobId: jobId,
      type: 'sync_conflict_detected',
      source: 'worker',
      severity: 'warning',
      message: `Conflict on ${fields.join(', ')} of ${product.sku}: both sides changed and no rule decides`,
      data: { productId: product.id, mappingId, fields },
    });
  }

}

/** The mappings' open conflicts and those resolved since their last pull. */
function conflictsOf(tx: TenantTransaction, mappings: Mapping[]): Promise<SyncConflict[]> {
  return tx.syncConflict.findMany({
    where: {
      mappingId: { in: mappings.map((mapping) => mapping.id) },
      OR: [{ status: 'open' }, { status: 'resolved', resolvedAt: { gte: earliest(mappings.map((mapping) => mapping.lastPulledAt)) } }],
    },
    orderBy: { createdAt: 'asc' },
  });
}

/**
 * A conflict the user resolved was decided against the remote value it shows: while
 * the marketplace still has that value, it is the field's base — so the chosen
 * value counts as the only change (the local one is pushed, the remote one agrees).
 */
function settledBase(base: BaseValues | null, conflicts: SyncConflict[], mapping: Mapping, remote: CanonicalProduct): BaseValues | null {
  const settled = conflicts.filter(
    (conflict) =>
      conflict.status === 'resolved' &&
      (!mapping.lastPulledAt || (conflict.resolvedAt && conflict.resolvedAt >= mapping.lastPulledAt)) &&
      sameValue((remote as unknown as Record<string, unknown>)[conflict.field], conflict.remoteValue),
  );
  if (settled.length === 0) return base;
  return { ...base, ...Object.fromEntries(settled.map((conflict) => [conflict.field, conflict.remoteValue])) };
}

function earliest(times: (Date | null)[]): Date {
  return new Date(Math.min(...times.map((time) => time?.getTime() ?? 0)));
}

function mappingUnchanged(mapping: Mapping, columns: PulledColumns): boolean {
  return (
    mapping.status === columns.status &&
    mapping.missedPulls === 0 &&
    mapping.syncError === null &&
    mapping.pulledHash === columns.pulled_hash &&
    mapping.pushedHash === columns.pushed_hash &&
    mapping.externalSku === columns.external_sku &&
    stableStringify(mapping.baseValues) === stableStringify(columns.base_values)
  );
}

/** A field value for a JSON column; a null value is stored as JSON null. */
function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  return value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue);
}
