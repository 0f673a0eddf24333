import type { WriteResult } from '../../connectors/contract.ts';
import type { TenantTransaction } from '../../db/tenant.ts';
import { bulkUpdate } from './bulk-sql.ts';
import type { ItemFailure, PhaseName } from './run-checkpoint.ts';

export interface MappedItem {
  mappingId: string;
  sku: string;
  externalId: string;
}

/**
 * Records a write batch's per-item outcomes on existing mappings, matched to the
 * marketplace's results by SKU: successes get the columns `succeeded` returns,
 * failures are marked `error` with the platform's message and reported, without
 * failing the batch.
 */
export async function recordMappingResults<Item>(
  tx: TenantTransaction,
  options: {
    phase: PhaseName;
    batch: Item[];
    results: WriteResult[];
    identify: (item: Item) => MappedItem;
    succeeded: (item: Item, now: Date) => Record<string, unknown>;
    columns: Parameters<typeof bulkUpdate>[2];
  },
): Promise<{ updated: number; failures: ItemFailure[] }> {
  const resultOf = new Map(options.results.map((result) => [result.sku, result]));
  const now = new Date();
  const pushed: ({ id: string } & Record<string, unknown>)[] = [];
  const failed: ({ id: string } & Record<string, unknown>)[] = [];
  const failures: ItemFailure[] = [];
  for (const item of options.batch) {
    const { mappingId, sku, externalId } = options.identify(item);
    const result = resultOf.get(sku);
    if (result?.ok) {
      pushed.push({ id: mappingId, ...options.succeeded(item, now) });
    } else {
      const error = result?.error ?? 'The marketplace returned no result for this product';
      failed.push({ id: mappingId, status: 'error', sync_error: error });
      failures.push({ phase: options.phase, sku, externalId, error });
    }
  }
  await bulkUpdate(tx, 'marketplace_product_mappings', options.columns, pushed);
  await bulkUpdate(tx, 'marketplace_product_mappings', { status: 'mapping_status', sync_error: 'text' }, failed);
  return { updated: pushed.length, failures };
}
