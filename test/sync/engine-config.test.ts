import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('sync engine configuration', () => {
  it('runs two jobs at once with 30-second leases and the scheduler on, by default', () => {
    expect(loadConfig({})).toMatchObject({ syncConcurrency: 2, syncLeaseSeconds: 30, schedulerEnabled: true });
  });

  it('reads SYNC_CONCURRENCY, SYNC_LEASE_SECONDS and SCHEDULER_ENABLED', () => {
    expect(loadConfig({ SYNC_CONCURRENCY: '0', SYNC_LEASE_SECONDS: '120', SCHEDULER_ENABLED: 'false' })).toMatchObject({
      syncConcurrency: 0,
      syncLeaseSeconds: 120,
      schedulerEnabled: false,
    });
  });

  it.each([
    ['SYNC_CONCURRENCY', 'many', /SYNC_CONCURRENCY: expected a number of jobs/],
    ['SYNC_LEASE_SECONDS', '2', /SYNC_LEASE_SECONDS: expected at least 5 seconds/],
    ['SCHEDULER_ENABLED', 'yes', /SCHEDULER_ENABLED: expected true or false/],
  ])('rejects %s=%s naming the variable', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrowError(message);
  });
});
