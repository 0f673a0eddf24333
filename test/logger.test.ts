import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), lines: () => lines.map((l) => JSON.parse(l)) };
}

describe('logger', () => {
  it('writes JSON lines with level, time and message', () => {
    const { logger, lines } = capture();
    logger.info({ port: 4000 }, 'hub listening');
    expect(lines()[0]).toMatchObject({ level: 30, msg: 'hub listening', port: 4000, service: 'marketplace-hub' });
    expect(typeof lines()[0].time).toBe('string');
  });

  it('redacts authorization headers, tokens, secrets and credentials wherever they appear', () => {
    const { logger, lines } = capture();
    const secrets = ['Bearer eyJhbGciOi', 'sk_live_123', 'refresh-456', 'shh-789', 'ck_abc'];
    logger.info(
      {
        req: { headers: { authorization: secrets[0], 'x-api-key': secrets[1], accept: 'application/json' } },
        integration: { refreshToken: secrets[2], access_token: secrets[2], name: 'My shop' },
        webhook: { secret: secrets[3] },
        credentials: { api_key: secrets[4] },
      },
      'connect',
    );
    const raw = JSON.stringify(lines()[0]);
    for (const secret of secrets) expect(raw).not.toContain(secret);
    expect(lines()[0]).toMatchObject({
      req: { headers: { authorization: '[Redacted]', 'x-api-key': '[Redacted]', accept: 'application/json' } },
      integration: { refreshToken: '[Redacted]', access_token: '[Redacted]', name: 'My shop' },
      credentials: '[Redacted]',
    });
  });
});
