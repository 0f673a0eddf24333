import { pino, type Logger } from 'pino';

/**
 * Paths whose values never reach a log line. Paths are case-sensitive (pino), so
 * headers are listed as Node lower-cases them.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-shopify-access-token"]',
  'req.headers["x-amz-access-token"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'authorization',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'clientSecret',
  'credentials',
  'connectionParams',
  '*.authorization',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.apiKey',
  '*.api_key',
  '*.apiSecret',
  '*.api_secret',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.credentials',
  '*.connectionParams',
];

export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream,
): Logger {
  return pino(
    {
      level,
      base: { service: 'marketplace-hub' },
      redact: { paths: redactedPaths, censor: '[Redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
}

export type { Logger };
