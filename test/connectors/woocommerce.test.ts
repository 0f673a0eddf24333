import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialVerifier } from '../../src/connectors/registry.ts';
import { normaliseStoreUrl } from '../../src/connectors/woocommerce/store-url.ts';
import { AppError } from '../../src/errors.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { startWoocommerceFake, woocommerceAccount } from '../fakes/woocommerce/server.ts';
import { appErrorOf, expectNoSecrets, fieldPaths, kits, localOptions } from './support.ts';

const statusPath = '/wp-json/wc/v3/system_status';

describe('WooCommerce credential check', () => {
  let fake: FakeServer;
  const verify = credentialVerifier('woocommerce');
  const run = (changes: Record<string, string> = {}) => verify({ credentials: { ...kits.woocommerce.credentials(fake), ...changes } }, localOptions);

  beforeEach(async () => {
    fake = await startWoocommerceFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('reads the system status with HTTP Basic and keys the account by the normalised store URL', async () => {
    const account = await run({ shop_url: `${fake.url}/` });
    expect(account).toEqual({ accountKey: fake.url, displayName: new URL(fake.url).host, shopUrl: fake.url });
    const [request] = fake.requestsTo(statusPath);
    const basic = Buffer.from(`${woocommerceAccount.consumerKey}:${woocommerceAccount.consumerSecret}`).toString('base64');
    expect(request?.headers.authorization).toBe(`Basic ${basic}`);
    expect(request?.query.get('_fields')).toBe('settings');
  });

  it('reports a wrong consumer secret as INVALID_CREDENTIALS with WooCommerce\'s message', async () => {
    const error = await appErrorOf(run({ api_secret: 'cs_wrong-secret-0000' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toBe('WooCommerce rejected the credentials (HTTP 401): Consumer secret is invalid.');
    expect(fake.requestsTo(statusPath)).toHaveLength(1);
    expectNoSecrets(error, [...kits.woocommerce.secrets, 'cs_wrong-secret-0000']);
  });

  it('points at the shop_url field when no WooCommerce API answers there', async () => {
    const error = await appErrorOf(run({ shop_url: `${fake.url}/blog` }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(fieldPaths(error)).toEqual([['credentials', 'shop_url']]);
    expect(fake.requestsTo(`/blog${statusPath}`)).toHaveLength(1);
  });
});

describe('normaliseStoreUrl', () => {
  it.each([
    ['shop.example', 'https://shop.example'],
    ['https://Shop.Example/', 'https://shop.example'],
    ['https://shop.example:443/store/', 'https://shop.example/store'],
    ['https://shop.example:8443', 'https://shop.example:8443'],
  ])('normalises %j', (input, expected) => {
    expect(normaliseStoreUrl(input, false)).toBe(expected);
  });

  it.each(['http://shop.example', 'https://user:pass@shop.example', 'https://shop.example/?consumer_key=ck', 'ftp://shop.example', 'not a url'])(
    'refuses %j on the shop_url field',
    (input) => {
      let error: unknown;
      try {
        normaliseStoreUrl(input, false);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect(fieldPaths(error as AppError)).toEqual([['credentials', 'shop_url']]);
    },
  );

  it('allows plain http only with allowLocalUrls', () => {
    expect(normaliseStoreUrl('http://127.0.0.1:8080/', true)).toBe('http://127.0.0.1:8080');
  });
});
