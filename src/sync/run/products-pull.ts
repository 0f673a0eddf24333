import type { Page, PageCursor, RemoteProduct } from '../../connectors/contract.ts';
import type { TenantTransaction } from '../../db/tenant.ts';
import { sweepMissedMappings, markExplicitlyDeleted } from './deletions.ts';
import type { MergePolicy } from './merge.ts';
import { newestChange } from './listing.ts';
import { prefetched } from './prefetch.ts';
import type { PhaseRun } from './phase-run.ts';
import { applyProductPage } from './product-page.ts';
import { StatisticsKeeper } from './statistics.ts';

/**
 * products pull: pages through the marketplace's products — only those changed
 * since the saved cursor when the connector can filter, everything otherwise (a
 * complete listing, which also detects deletions) — and applies each page with
 * its checkpoint in one commit, so a killed job resumes at the next page.
 */

export interface ProductsCursor {
  /** Changes at or after this time are listed next time (the newest change seen, platform clock). */
  updatedSince?: string | null;
  /** When the last complete listing started; a complete one is made again after `completeListingEvery`. */
  lastCompleteAt?: string | null;
}

interface PullState {
  next: PageCursor | null;
  since: string | null;
  complete: boolean;
  startedAt: string;
  newestChange: string | null;
  pages: number;
  /** The listing reached its last page (only the deletion check and the cursor hand-off remain). */
  listed: boolean;
  finished: boolean;
  deleted: number;
}

/** Incremental listings never see deletions: list everything at least this often. */
export const completeListingEvery = 24 * 60 * 60 * 1000;

export async function pullProducts(run: PhaseRun<PullState>, policy: MergePolicy): Promise<void> {
  const targeted = targetedExternalIds(run.context.job.scope);
  if (targeted) return pullTargeted(run, policy, targeted);
  const state = run.resumed ?? startListing(run);
  if (state.finished) return;
  // Which products a listing returned is kept in memory: a resumed listing has lost the
  // pages before the crash, so it cannot tell what is missing and skips the check.
  const seen = state.pages === 0 && state.complete ? new Set<string>() : null;
  const notes = state.complete && !seen ? ['deletion check skipped: the listing was resumed mid-way'] : [];
  const list = (next: PageCursor | null) =>
    run.connector.listProducts({ cursor: next, since: state.since ? new Date(state.since) : null });

  const statistics = new StatisticsKeeper(run.context.prisma, run.context.logger);
  let current = state.listed ? null : prefetched(list(state.next));
  let progress = state;
  while (current) {
    const page: Page<RemoteProduct> = await current;
    run.context.signal.throwIfAborted();
    current = page.next !== null ? prefetched(list(page.next)) : null;
    const stepState: PullState = {
      ...progress,
      next: page.next,
      pages: progress.pages + 1,
      newestChange: newestChange(progress.newestChange, page.items),
      listed: page.next === null,
    };
    const inserted = await run.commit(async (tx) => {
      const tally = await applyProductPage(pageScope(run, tx, policy), page.items);
      return {
        state: stepState,
        processed: page.items.length,
        total: page.total ?? null,
        counts: tally.counts,
        figures: { ...tally.figures, pages: 1 },
        value: tally.counts.created + tally.figures.linked,
      };
    });
    await statistics.afterInserts(inserted ?? 0);
    for (const item of page.items) seen?.add(item.externalId);
    progress = stepState;
  }

  await run.commit(async (tx) => {
    const sweep = seen
      ? await sweepMissedMappings(deletionScope(run, tx, progress.deleted), seen, new Date(progress.startedAt))
      : null;
    const saved = (run.cursor('products') ?? {}) as ProductsCursor;
    const cursor: ProductsCursor = {
      updatedSince: progress.newestChange ?? progress.since,
      // Only a listing that could check for deletions counts as complete: otherwise the next one is.
      lastCompleteAt: sweep ? progress.startedAt : (saved.lastCompleteAt ?? null),
    };
    return {
      state: { ...progress, listed: true, finished: true, deleted: progress.deleted + (sweep?.deleted ?? 0) },
      cursors: { products: cursor },
      figures: { missing: sweep?.missing ?? 0, deleted: sweep?.deleted ?? 0 },
      notes,
      warnings: sweep?.warning ? [sweep.warning] : [],
    };
  });
}

function startListing(run: PhaseRun<PullState>): PullState {
  const saved = (run.cursor('products') ?? {}) as ProductsCursor;
  const lastComplete = saved.lastCompleteAt ? Date.parse(saved.lastCompleteAt) : Number.NaN;
  const incremental =
    run.connector.capabilities.incrementalProducts &&
    !!saved.updatedSince &&
    Date.now() - lastComplete < completeListingEvery;
  return {
    next: null,
    since: incremental ? saved.updatedSince! : null,
    complete: !incremental,
    startedAt: new Date().toISOString(),
    newestChange: null,
    pages: 0,
    listed: false,
    finished: false,
    deleted: 0,
  };
}

/**
 * A job scoped to some marketplace products (e.g. from a webhook): each is read
 * on its own; one the marketplace no longer has is an explicit delete.
 */
async function pullTargeted(run: PhaseRun<PullState>, policy: MergePolicy, externalIds: string[]): Promise<void> {
  if (run.resumed?.finished) return;
  const found: RemoteProduct[] = [];
  const gone: string[] = [];
  for (const externalId of externalIds) {
    const product = await run.connector.getProduct(externalId);
    if (product) found.push(product);
    else gone.push(externalId);
  }
  const state: PullState = {
    next: null,
    since: null,
    complete: false,
    startedAt: new Date().toISOString(),
    newestChange: null,
    pages: 1,
    listed: true,
    finished: true,
    deleted: 0,
  };
  await run.commit(async (tx) => {
    const tally = await applyProductPage(pageScope(run, tx, policy), found);
    const mappings = await tx.marketplaceProductMapping.findMany({
      where: { integrationId: run.integrationId, externalId: { in: gone }, status: { not: 'deleted' } },
      select: { id: true },
    });
    const deletions = await markExplicitlyDeleted(deletionScope(run, tx, 0), mappings.map((mapping) => mapping.id));
    return {
      state: { ...state, deleted: deletions.deleted },
      processed: externalIds.length,
      total: externalIds.length,
      counts: tally.counts,
      figures: { ...tally.figures, missing: deletions.missing, deleted: deletions.deleted },
      warnings: deletions.warning ? [deletions.warning] : [],
    };
  });
}

/** `scope.externalProductIds` of a targeted job, when it has them. */
function targetedExternalIds(scope: unknown): string[] | null {
  const ids = (scope as { externalProductIds?: unknown } | null)?.externalProductIds;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : null;
}

function pageScope<S>(run: PhaseRun<S>, tx: TenantTransaction, policy: MergePolicy) {
  return { tx, userId: run.userId, integrationId: run.integrationId, jobId: run.context.job.id, policy };
}

function deletionScope<S>(run: PhaseRun<S>, tx: TenantTransaction, deletedSoFar: number) {
  return { tx, userId: run.userId, integrationId: run.integrationId, jobId: run.context.job.id, config: run.config, deletedSoFar };
}
