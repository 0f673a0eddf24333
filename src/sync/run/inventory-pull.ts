import type { Page, PageCursor, RemoteProduct } from '../../connectors/contract.ts';
import type { TenantTransaction } from '../../db/tenant.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { bulkUpdate } from './bulk-sql.ts';
import { canonicalFromRemote, readBaseValues } from './canonical.ts';
import { lockProductsById } from './locks.ts';
import { mergeProduct } from './merge.ts';
import type { PhaseRun } from './phase-run.ts';
import { newestChange } from './listing.ts';
import { prefetched } from './prefetch.ts';

/**
 * inventory pull: takes the marketplace's stock for mapped products, page by
 * page (incrementally from its own cursor where the connector can). Only the
 * stock field is merged — the marketplace wins where it changed — so the other
 * fields wait for a products pull, which still sees them as new (pulled_hash is
 * left alone).
 */

interface InventoryPullState {
  next: PageCursor | null;
  since: string | null;
  newestChange: string | null;
  finished: boolean;
}

export interface InventoryCursor {
  updatedSince?: string | null;
}

export async function pullInventory(run: PhaseRun<InventoryPullState>): Promise<void> {
  const saved = (run.cursor('inventory') ?? {}) as InventoryCursor;
  let state: InventoryPullState = run.resumed ?? {
    next: null,
    since: run.connector.capabilities.incrementalProducts ? (saved.updatedSince ?? null) : null,
    newestChange: null,
    finished: false,
  };
  if (state.finished) return;
  const list = (next: PageCursor | null) => run.connector.listProducts({ cursor: next, since: state.since ? new Date(state.since) : null });
  let current: Promise<Page<RemoteProduct>> | null = prefetched(list(state.next));
  while (current) {
    const page: Page<RemoteProduct> = await current;
    run.context.signal.throwIfAborted();
    current = page.next !== null ? prefetched(list(page.next)) : null;
    const newest = newestChange(state.newestChange, page.items);
    const next: InventoryPullState = { ...state, next: page.next, newestChange: newest, finished: page.next === null };
    await run.commit(async (tx) => {
      const changed = await applyStockPage(tx, run, page.items);
      return {
        state: next,
        processed: page.items.length,
        total: page.total ?? null,
        counts: { updated: changed, unchanged: page.items.length - changed },
        figures: { pages: 1 },
        ...(next.finished && { cursors: { inventory: { updatedSince: newest ?? state.since } } }),
      };
    });
    state = next;
  }
}

async function applyStockPage(tx: TenantTransaction, run: PhaseRun<InventoryPullState>, items: RemoteProduct[]): Promise<number> {
  const mappings = await tx.marketplaceProductMapping.findMany({
    where: { integrationId: run.integrationId, externalId: { in: items.map((item) => item.externalId) }, status: { not: 'deleted' } },
  });
  const itemOf = new Map(items.map((item) => [item.externalId, item]));
  const moved = mappings.filter((mapping) => {
    const remoteStock = itemOf.get(mapping.externalId)!.stock;
    return readBaseValues(mapping.baseValues)?.stock !== remoteStock;
  });
  if (moved.length === 0) return 0;
  const products = await lockProductsById(tx, run.integrationId, moved.map((mapping) => mapping.productId));
  const productOf = new Map(products.filter((product) => !product.deletedAt).map((product) => [product.id, product]));
  const stockUpdates: { id: string; stock: number }[] = [];
  const mappingUpdates: { id: string; base_values: Prisma.InputJsonObject }[] = [];
  for (const mapping of moved) {
    const product = productOf.get(mapping.productId);
    if (!product) continue;
    const item = itemOf.get(mapping.externalId)!;
    const result = mergeProduct(
      {
        local: product.values,
        remote: canonicalFromRemote(item),
        base: readBaseValues(mapping.baseValues),
        localChangedAt: {},
        remoteChangedAt: item.updatedAt,
        fields: ['stock'],
      },
      { mode: 'pull', conflictPolicy: run.config.conflictPolicy, conflictRules: run.config.conflictRules, marketplaceOwnsStock: run.connector.capabilities.marketplaceOwnsStock },
    );
    if (result.localChanged.length > 0) stockUpdates.push({ id: product.id, stock: result.merged.stock });
    const base = { ...(readBaseValues(mapping.baseValues) ?? {}), stock: item.stock };
    mappingUpdates.push({ id: mapping.id, base_values: base as Prisma.InputJsonObject });
  }
  await bulkUpdate(tx, 'products', { stock: 'int' }, stockUpdates);
  await bulkUpdate(tx, 'marketplace_product_mappings', { base_values: 'jsonb' }, mappingUpdates);
  return stockUpdates.length;
}
