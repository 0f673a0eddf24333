import { z } from 'zod';
import type { ConnectorErrorKind } from './connector-error.ts';
import type { HttpClient } from './http-client.ts';
import { isRecord } from './platform-message.ts';

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
  token_type: z.string().optional(),
});

export interface TokenRequest {
  url: URL;
  /** grant_type and its parameters; client credentials too when the platform takes them in the body. */
  form: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * An OAuth 2.0 token request (RFC 6749 §4.4, §6). Only for grants that are safe
 * to repeat — client credentials, or a refresh token the platform does not rotate —
 * since a retried request after a lost answer must not burn the grant.
 */
export async function requestAccessToken(client: HttpClient, request: TokenRequest): Promise<{ accessToken: string; expiresInSeconds?: number }> {
  const { data } = await client.json(
    {
      method: 'POST',
      url: request.url,
      headers: request.headers,
      body: new URLSearchParams(request.form),
      idempotent: true,
      classifyError: classifyOAuthError,
    },
    tokenResponse,
  );
  return { accessToken: data.access_token, expiresInSeconds: data.expires_in };
}

/** RFC 6749 §5.2 error codes: a bad client or grant means the credentials are wrong, whatever the status. */
export function classifyOAuthError(_status: number, body: unknown): ConnectorErrorKind | undefined {
  const code = isRecord(body) ? body.error : undefined;
  if (code === 'invalid_client' || code === 'invalid_grant' || code === 'unauthorized_client' || code === 'invalid_scope') {
    return 'INVALID_CREDENTIALS';
  }
  return undefined;
}
