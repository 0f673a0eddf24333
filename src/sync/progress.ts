import type { MarketplaceSyncJob } from '../generated/prisma/client.ts';

/** At most 10 progress updates per second per job. */
export const progressIntervalMs = 100;

export interface ProgressThrottle {
  /** Sends now, or later with the newest state if one was sent less than the interval ago. */
  update(job: MarketplaceSyncJob): void;
  /** Sends the final state (waiting out the interval if needed) and drops any pending update. */
  finish(job: MarketplaceSyncJob): Promise<void>;
}

export function createProgressThrottle(send: (job: MarketplaceSyncJob) => void, intervalMs = progressIntervalMs): ProgressThrottle {
  let lastSentAt = -Infinity;
  let pending: MarketplaceSyncJob | undefined;
  let timer: NodeJS.Timeout | undefined;

  const waitLeft = () => lastSentAt + intervalMs - performance.now();
  const sendNow = (job: MarketplaceSyncJob) => {
    lastSentAt = performance.now();
    send(job);
  };
  const flush = () => {
    timer = undefined;
    if (!pending) return;
    // Timers may fire a fraction of a millisecond early against performance.now().
    if (waitLeft() > 0) {
      timer = setTimeout(flush, Math.ceil(waitLeft()));
      return;
    }
    const job = pending;
    pending = undefined;
    sendNow(job);
  };

  return {
    update(job) {
      pending = job;
      if (!timer) flush();
    },
    async finish(job) {
      clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      while (waitLeft() > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(waitLeft())));
      sendNow(job);
    },
  };
}
