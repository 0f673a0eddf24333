import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError } from '../../src/connectors/http/connector-error.ts';
import { AppError } from '../../src/errors.ts';
import type { MarketplaceSyncJob } from '../../src/generated/prisma/client.ts';
import { SealedDataError } from '../../src/secrets/sealing.ts';
import { retryDelayMs } from '../../src/sync/backoff.ts';
import { classifyFailure, WorkerStoppingError } from '../../src/sync/failure.ts';
import { JobCancelledError, LeaseLostError } from '../../src/sync/job-context.ts';
import { createProgressThrottle } from '../../src/sync/progress.ts';

describe('retry backoff', () => {
  const policy = { baseMs: 1000, capMs: 10_000 };

  it('doubles the ceiling each attempt up to the cap, with full jitter below it', () => {
    expect([1, 2, 3, 4, 5, 9].map((attempt) => retryDelayMs(attempt, policy, () => 0.999999))).toEqual([999, 1999, 3999, 7999, 9999, 9999]);
    expect(retryDelayMs(3, policy, () => 0)).toBe(0);
  });

  it('stays within [0, cap) for any draw', () => {
    for (let attempt = 1; attempt < 40; attempt++) {
      const delay = retryDelayMs(attempt, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1)));
    }
  });
});

describe('failure classification', () => {
  it('honours a retry time from the marketplace, as AppError or ConnectorError', () => {
    expect(classifyFailure(new AppError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 30 }))).toMatchObject({
      kind: 'rate_limited',
      retryAfterSeconds: 30,
    });
    const limited = new ConnectorError('RATE_LIMITED', 'Etsy answered 429', { platform: 'Etsy', status: 429, retryAfterSeconds: 12 });
    expect(classifyFailure(limited)).toEqual({
      kind: 'rate_limited',
      retryAfterSeconds: 12,
      error: { code: 'RATE_LIMITED', message: 'Etsy answered 429', platform: 'Etsy', platformStatus: 429 },
    });
    // No retry time: an ordinary retryable failure.
    expect(classifyFailure(new ConnectorError('RATE_LIMITED', '429', { platform: 'Etsy' })).kind).toBe('retryable');
  });

  it('never retries refused credentials, invalid requests, unreadable credentials or errors marked not retryable', () => {
    expect(classifyFailure(new ConnectorError('INVALID_CREDENTIALS', '401', { platform: 'Etsy' })).kind).toBe('permanent');
    expect(classifyFailure(new AppError('INVALID_CREDENTIALS', 'no')).kind).toBe('permanent');
    expect(classifyFailure(new ConnectorError('VALIDATION', '400', { platform: 'Etsy' })).kind).toBe('permanent');
    expect(classifyFailure(new AppError('PLATFORM_UNAVAILABLE', 'x', { retryable: false })).kind).toBe('permanent');
    expect(classifyFailure(new SealedDataError('unknown_key', 'k1', 'integration_credentials')).kind).toBe('permanent');
  });

  it('retries outages and unexpected errors', () => {
    expect(classifyFailure(new ConnectorError('PLATFORM_UNAVAILABLE', '503', { platform: 'Etsy', status: 503 })).kind).toBe('retryable');
    expect(classifyFailure(new TypeError('fetch failed'))).toEqual({ kind: 'retryable', error: { code: 'INTERNAL', message: 'fetch failed' } });
  });

  it('recognises the runner signals', () => {
    expect(classifyFailure(new JobCancelledError()).kind).toBe('cancelled');
    expect(classifyFailure(new LeaseLostError('j')).kind).toBe('lease_lost');
    expect(classifyFailure(new WorkerStoppingError()).kind).toBe('stopping');
  });
});

describe('progress throttle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const job = (processed: number) => ({ id: 'j', processed }) as MarketplaceSyncJob;

  it('sends the first update at once, then the newest one per interval', async () => {
    const sent: [number, number][] = [];
    const throttle = createProgressThrottle((j) => sent.push([performance.now(), j.processed]), 100);
    for (let i = 1; i <= 30; i++) {
      throttle.update(job(i));
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(sent.map(([, processed]) => processed)).toEqual([1, 10, 20, 30]);
    for (let i = 1; i < sent.length; i++) expect(sent[i]![0] - sent[i - 1]![0]).toBeGreaterThanOrEqual(100);
  });

  it('always sends the final state, after the interval, and drops the pending update', async () => {
    const sent: number[] = [];
    const throttle = createProgressThrottle((j) => sent.push(j.processed), 100);
    throttle.update(job(1));
    throttle.update(job(2));
    const finished = throttle.finish(job(3));
    await vi.advanceTimersByTimeAsync(99);
    expect(sent).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    await finished;
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toEqual([1, 3]);
  });
});
