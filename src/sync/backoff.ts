import { fullJitterDelayMs } from '../connectors/http/backoff.ts';

/** How long a failed job waits before its next attempt: capped exponential backoff with full jitter. */
export interface RetryPolicy {
  baseMs: number;
  capMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseMs: 10_000, capMs: 15 * 60_000 };

/**
 * The delay after attempt `failedAttempt` (1 for the first run) failed. Full jitter
 * spreads the retries of jobs that failed together (a marketplace outage) over time.
 */
export function retryDelayMs(failedAttempt: number, policy: RetryPolicy = defaultRetryPolicy, random: () => number = Math.random): number {
  return fullJitterDelayMs(Math.max(0, failedAttempt - 1), policy.baseMs, policy.capMs, random);
}
