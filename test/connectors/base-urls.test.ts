import { describe, expect, it } from 'vitest';
import { allegroEnvironments, allegroProduction, allegroSandbox } from '../../src/connectors/allegro/environments.ts';
import { endpoint, resolveEnvironment } from '../../src/connectors/http/base-urls.ts';
import { AppError } from '../../src/errors.ts';

const choice = (allowLocalUrls: boolean) => ({ platform: 'Allegro', known: allegroEnvironments, fallback: allegroProduction, allowLocalUrls });
const twoHosts = { api: 'https://api.example', auth: 'https://auth.example' };

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

describe('resolveEnvironment', () => {
  it('uses the fallback without an override', () => {
    expect(resolveEnvironment(undefined, choice(false))).toBe(allegroProduction);
    expect(resolveEnvironment('  ', choice(false))).toBe(allegroProduction);
  });

  it('picks a known sandbox by its origin, and uses our constant rather than the input', () => {
    expect(resolveEnvironment('https://api.allegro.pl.allegrosandbox.pl', choice(false))).toBe(allegroSandbox);
    expect(resolveEnvironment('https://API.allegro.pl.allegrosandbox.pl/sale/offers', choice(false))).toBe(allegroSandbox);
  });

  it.each([
    'https://api.allegro.pl.evil.example',
    'http://api.allegro.pl',
    'https://api.allegro.pl:8443',
    'http://127.0.0.1:9999',
    'https://user:pw@api.allegro.pl',
    'https://api.allegro.pl/?token=abc',
    'not a url',
  ])('refuses %j on config.apiBaseUrl unless allowLocalUrls', (input) => {
    const error = refusal(() => resolveEnvironment(input, choice(false)));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details.fieldErrors).toEqual([{ path: ['config', 'apiBaseUrl'], message: error.message }]);
    expect(error.message).toBe('Allegro API base URL must be one of https://api.allegro.pl, https://api.allegro.pl.allegrosandbox.pl');
    expect(error.message).not.toContain('abc');
  });

  it('with allowLocalUrls points every host role at the override', () => {
    const local = resolveEnvironment('http://127.0.0.1:9999/prefix/', { platform: 'X', known: [twoHosts], fallback: twoHosts, allowLocalUrls: true });
    expect(local).toEqual({ api: 'http://127.0.0.1:9999/prefix', auth: 'http://127.0.0.1:9999/prefix' });
  });

  it('still refuses URLs with credentials or a query when allowLocalUrls is on', () => {
    expect(refusal(() => resolveEnvironment('http://u:p@127.0.0.1:1', choice(true))).code).toBe('BAD_USER_INPUT');
    expect(refusal(() => resolveEnvironment('http://127.0.0.1:1/?a=b', choice(true))).code).toBe('BAD_USER_INPUT');
  });
});

describe('endpoint', () => {
  it('joins a base, a path and a query', () => {
    expect(endpoint('http://127.0.0.1:1/prefix/', '/v3/x', { limit: 1, q: 'a b' }).href).toBe('http://127.0.0.1:1/prefix/v3/x?limit=1&q=a+b');
  });
});
