import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier, platformDescriptors } from '../../src/connectors/registry.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { appErrorOf, expectNoSecrets, fieldPaths, kits, localOptions } from './support.ts';

/** What every platform's check does the same way; platform details are in <platform>.test.ts. */
describe.each(Object.values(kits))('$platform credential check', (kit) => {
  let fake: FakeServer;
  const verify = credentialVerifier(kit.platform);
  const check = (credentials = kit.credentials(fake)) => ({ credentials, apiBaseUrl: kit.apiBaseUrl(fake) });

  beforeEach(async () => {
    fake = await kit.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('returns the account for valid credentials', async () => {
    const account = await verify(check(), localOptions);
    expect(account.accountKey).toBe(kit.accountKey(fake));
    expect(account.displayName).not.toBe('');
  });

  it('names each missing field the check needs, before any request', async () => {
    for (const field of kit.needed) {
      const { [field]: _left, ...credentials } = kit.credentials(fake);
      const error = await appErrorOf(verify(check(credentials), localOptions));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(fieldPaths(error)).toContainEqual(['credentials', field]);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('reports 429 as RATE_LIMITED with Retry-After, without retrying', async () => {
    fake.knobs.rateLimit = { retryAfter: '30' };
    const error = await appErrorOf(verify(check(), localOptions));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBe(30);
    expect(error.message).toMatch(/HTTP 429/);
    expect(fake.requests).toHaveLength(1);
    expectNoSecrets(error, kit.secrets);
  });

  it('retries a 5xx and succeeds', async () => {
    fake.knobs.serverErrors = 1;
    const account = await verify(check(), localOptions);
    expect(account.accountKey).toBe(kit.accountKey(fake));
    expect(fake.requests[0]?.path).toBe(fake.requests[1]?.path);
  });

  it('gives up on a lasting 5xx after the attempt cap: PLATFORM_UNAVAILABLE', async () => {
    fake.knobs.serverErrors = Number.POSITIVE_INFINITY;
    const error = await appErrorOf(verify(check(), { ...localOptions, http: { ...localOptions.http, maxAttempts: 3 } }));
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.message).toMatch(/HTTP 503/);
    expect(fake.requests).toHaveLength(3);
    expectNoSecrets(error, kit.secrets);
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await kit.start();
    try {
      fake.knobs.redirectTo = `${elsewhere.url}/stolen?token=x`;
      const error = await appErrorOf(verify(check(), localOptions));
      expect(error.code).toBe('PLATFORM_UNAVAILABLE');
      expect(error.message).toMatch(/redirect \(HTTP 302\)/);
      expect(fake.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('times out a slow answer', async () => {
    fake.knobs.delayMs = 1_000;
    const error = await appErrorOf(verify(check(), { allowLocalUrls: true, http: { timeoutMs: 100, maxAttempts: 1 } }));
    expect(error.code).toBe('PLATFORM_UNAVAILABLE');
    expect(error.message).toMatch(/did not answer within 100 ms/);
  });

  it('refuses a local URL unless allowLocalUrls is on, before any request', async () => {
    const error = await appErrorOf(verify(check(), { allowLocalUrls: false, http: localOptions.http }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(fieldPaths(error)).toEqual([kit.apiBaseUrl(fake) ? ['config', 'apiBaseUrl'] : ['credentials', 'shop_url']]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('credentialVerifier', () => {
  it('covers every platform in the registry', () => {
    expect(platformDescriptors.map((d) => d.platform).sort()).toEqual(Object.keys(kits).sort());
  });

  it('keeps the connect forms\' required fields within what the checks need', () => {
    for (const descriptor of platformDescriptors) {
      const required = descriptor.credentialFields.filter((f) => f.required).map((f) => f.name);
      expect(kits[descriptor.platform].needed).toEqual(expect.arrayContaining(required));
    }
  });
});
