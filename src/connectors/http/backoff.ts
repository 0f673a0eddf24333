/**
 * "Full jitter" backoff (AWS Architecture Blog, Exponential Backoff And Jitter):
 * a uniformly random delay up to min(cap, base · 2^retry), so clients that failed
 * together do not retry together. `retry` counts from 0.
 */
export function fullJitterDelayMs(retry: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
