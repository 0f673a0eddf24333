import type { Page, PageCursor, RemoteOrder } from '../../connectors/contract.ts';
import { newestChange } from './listing.ts';
import { applyOrderPage } from './order-page.ts';
import type { PhaseRun } from './phase-run.ts';
import { prefetched } from './prefetch.ts';

/**
 * orders pull: new and updated orders since the saved cursor (all orders when
 * the connector cannot filter), page by page, each page with its checkpoint in
 * one commit.
 */

export interface OrdersCursor {
  updatedSince?: string | null;
}

interface OrdersPullState {
  next: PageCursor | null;
  since: string | null;
  newestChange: string | null;
  finished: boolean;
}

export async function pullOrders(run: PhaseRun<OrdersPullState>): Promise<void> {
  const saved = (run.cursor('orders') ?? {}) as OrdersCursor;
  let state: OrdersPullState = run.resumed ?? {
    next: null,
    since: run.connector.capabilities.incrementalOrders ? (saved.updatedSince ?? null) : null,
    newestChange: null,
    finished: false,
  };
  if (state.finished) return;
  const list = (next: PageCursor | null) => run.connector.listOrders({ cursor: next, since: state.since ? new Date(state.since) : null });
  let current: Promise<Page<RemoteOrder>> | null = prefetched(list(state.next));
  while (current) {
    const page: Page<RemoteOrder> = await current;
    run.context.signal.throwIfAborted();
    current = page.next !== null ? prefetched(list(page.next)) : null;
    const newest = newestChange(state.newestChange, page.items.map((order) => ({ updatedAt: order.updatedAt ?? order.placedAt })));
    const next: OrdersPullState = { ...state, next: page.next, newestChange: newest, finished: page.next === null };
    await run.commit(async (tx) => {
      const tally = await applyOrderPage({ tx, userId: run.userId, integrationId: run.integrationId }, page.items);
      return {
        state: next,
        processed: page.items.length,
        total: page.total ?? null,
        counts: tally.counts,
        figures: { ...tally.figures, pages: 1 },
        ...(next.finished && { cursors: { orders: { updatedSince: newest ?? state.since } satisfies OrdersCursor } }),
      };
    });
    state = next;
  }
}
