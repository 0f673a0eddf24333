import { AppError, type FieldError } from '../errors.ts';
import { ConnectorError, connectorErrorToAppError } from './http/connector-error.ts';
import type { HttpClientOptions } from './http/http-client.ts';

/** The marketplace account a set of credentials belongs to, as the platform reported it. */
export interface VerifiedAccount {
  /** Stable identity of the account on its platform: connecting it again updates the same integration. */
  accountKey: string;
  displayName: string;
  shopId?: string;
  shopUrl?: string;
  sellerId?: string;
  marketplace?: string;
}

export interface CredentialCheck {
  credentials: Record<string, string>;
  /** The integration's `config.apiBaseUrl` override (user input). */
  apiBaseUrl?: string;
}

export interface CredentialCheckOptions {
  /** Server setting: base and shop URLs may be http and point anywhere (development, tests). */
  allowLocalUrls: boolean;
  http?: Partial<HttpClientOptions>;
}

/**
 * Checks credentials with one authenticated read on the platform. Throws AppError
 * (BAD_USER_INPUT for a missing or malformed field, before any request) or
 * ConnectorError for what the platform answered.
 */
export type VerifyCredentials = (check: CredentialCheck, options: CredentialCheckOptions) => Promise<VerifiedAccount>;

/** The verifier as the API layer calls it: platform failures come out as AppError with the same codes. */
export function reportingAppErrors(verify: VerifyCredentials): VerifyCredentials {
  return async (check, options) => {
    try {
      return await verify(check, options);
    } catch (error) {
      throw error instanceof ConnectorError ? connectorErrorToAppError(error) : error;
    }
  };
}

/**
 * The credential values a check needs, trimmed. Names every missing one in a
 * BAD_USER_INPUT error — the connect form may mark a field optional that this
 * particular check cannot do without (e.g. Etsy's access token).
 */
export function requireCredentials<const Name extends string>(
  platform: string,
  credentials: Record<string, unknown>,
  names: readonly Name[],
): Record<Name, string> {
  const values = {} as Record<Name, string>;
  const fieldErrors: FieldError[] = [];
  for (const name of names) {
    const value = credentials[name];
    if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim();
    else fieldErrors.push({ path: ['credentials', name], message: `${platform} needs ${name} to check the connection` });
  }
  if (fieldErrors.length) {
    const missing = fieldErrors.map((e) => e.path[1]).join(', ');
    throw new AppError('BAD_USER_INPUT', `${platform} credentials are missing ${missing}`, { fieldErrors });
  }
  return values;
}

/** An optional credential value, trimmed; undefined when absent or blank. */
export function optionalCredential(credentials: Record<string, unknown>, name: string): string | undefined {
  const value = credentials[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A BAD_USER_INPUT error about one credential field. */
export function credentialFieldError(name: string, message: string, cause?: unknown): AppError {
  return new AppError('BAD_USER_INPUT', message, { fieldErrors: [{ path: ['credentials', name], message }] }, { cause });
}
