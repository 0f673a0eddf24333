import { describe, expect, it } from 'vitest';
import { credentialHint } from '../../src/secrets/credential-hint.ts';

describe('credentialHint', () => {
  it('shows the last four characters of a long enough first secret field', () => {
    expect(credentialHint({ shop: 'demo', api_key: 'sk_live_9f8e7d6ca1b2' }, ['api_key', 'api_secret'])).toBe('api_key ••••a1b2');
  });

  it('shows no characters of a secret shorter than 12', () => {
    expect(credentialHint({ api_key: '12345678901' }, ['api_key'])).toBe('api_key ••••');
    expect(credentialHint({ api_key: '123456789012' }, ['api_key'])).toBe('api_key ••••9012');
  });

  it('takes the first secret field that has a value, in the given order', () => {
    const credentials = { consumer_key: 'ck_aaaaaaaaaaaaaaaa1111', consumer_secret: 'cs_bbbbbbbbbbbbbbbb2222' };
    expect(credentialHint(credentials, ['consumer_secret', 'consumer_key'])).toBe('consumer_secret ••••2222');
    expect(credentialHint({ ...credentials, consumer_secret: '' }, ['consumer_secret', 'consumer_key'])).toBe('consumer_key ••••1111');
  });

  it('never hints at a field that is not secret', () => {
    expect(credentialHint({ shop_url: 'https://demo.myshopify.com' }, ['access_token'])).toBeNull();
    expect(credentialHint({ toString: 'x' } as Record<string, string>, ['constructor'])).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    // 11 characters, 12 UTF-16 units.
    expect(credentialHint({ token: 'aaaaaaaaaa🔑' }, ['token'])).toBe('token ••••');
    expect(credentialHint({ token: 'aaaaaaaaaaa🔑' }, ['token'])).toBe('token ••••aaa🔑');
  });
});
