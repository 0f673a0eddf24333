import { describe, expect, it } from 'vitest';
import { fullJitterDelayMs } from '../../src/connectors/http/backoff.ts';
import { parseRetryAfter } from '../../src/connectors/http/retry-after.ts';

const now = Date.parse('2026-11-25T10:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    [' 5 ', 5],
    ['0', 0],
    ['99999', 600],
    ['Wed, 25 Nov 2026 10:00:30 GMT', 30],
    ['Wednesday, 25-Nov-26 10:01:00 GMT', 60],
    ['Wed, 25 Nov 2026 09:00:00 GMT', 0],
    ['Fri, 25 Dec 2026 10:00:00 GMT', 600],
  ])('reads %j as %d seconds', (value, seconds) => {
    expect(parseRetryAfter(value, 600, now)).toBe(seconds);
  });

  it.each([null, undefined, '', 'soon', '-5', '1.5', '2026-11-26T10:00:00Z', 'Wed, 99 Foo 2026 10:00:30 GMT', '5 seconds'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, 600, now)).toBeUndefined();
  });
});

describe('fullJitterDelayMs', () => {
  it('grows exponentially up to the cap, scaled by the random draw', () => {
    expect([0, 1, 2, 3, 10].map((retry) => fullJitterDelayMs(retry, 100, 1_000, () => 0.999999))).toEqual([99, 199, 399, 799, 999]);
    expect(fullJitterDelayMs(3, 100, 1_000, () => 0)).toBe(0);
  });
});
