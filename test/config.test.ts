import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { runHub } from './helpers/hub-process.ts';

describe('loadConfig', () => {
  it('needs no variable at all: embedded database under ./data on port 4000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.logLevel).toBe('info');
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/tmp/hub',
      DATABASE_URL: 'postgresql://hub@db:5432/hub',
      REDIS_URL: 'redis://cache:6379',
      LOG_LEVEL: 'debug',
      JWT_SECRET: 'x'.repeat(32),
      JWKS_URL: 'https://auth.example/.well-known/jwks.json',
    });
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/tmp/hub',
      databaseUrl: 'postgresql://hub@db:5432/hub',
      redisUrl: 'redis://cache:6379',
      logLevel: 'debug',
      jwksUrl: 'https://auth.example/.well-known/jwks.json',
    });
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a TCP port number/],
    ['PORT', '70000', /PORT: expected a TCP port between 0 and 65535/],
    ['DATABASE_URL', 'mysql://db/hub', /DATABASE_URL: expected a PostgreSQL connection URL/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: expected a Redis URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/],
    ['JWT_SECRET', 'short', /JWT_SECRET: expected at least 32 characters/],
    ['JWKS_URL', 'not a url', /JWKS_URL: expected an http\(s\) URL/],
  ])('rejects %s=%s naming the variable and what it expects', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrowError(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrowError(message);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: '-1', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['PORT', 'LOG_LEVEL']);
    }
  });
});

describe('starting with a bad variable', () => {
  it('exits non-zero with a message naming the variable, before touching any database', async () => {
    const hub = runHub({ PORT: 'eighty', DATA_DIR: '/nonexistent/never-created' });
    const { code } = await hub.exited;
    expect(code).toBe(2);
    expect(hub.stderr()).toContain('PORT: expected a TCP port number');
    expect(hub.stdout()).not.toContain('hub listening');
  });
});
