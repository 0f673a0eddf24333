import { AppError, type ErrorCode } from '../../errors.ts';

/** What went wrong talking to a marketplace, in terms the caller can act on. */
export type ConnectorErrorKind =
  | 'INVALID_CREDENTIALS'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'PLATFORM_UNAVAILABLE';

export interface ConnectorErrorDetails {
  /** Display name of the platform, e.g. "Etsy". */
  platform: string;
  /** HTTP status of the platform's answer; absent for timeouts and network errors. */
  status?: number;
  /** For RATE_LIMITED (and a 503 that said so): when the platform accepts requests again. */
  retryAfterSeconds?: number;
}

/**
 * A marketplace call that failed. The message names the platform and the HTTP
 * status and never a credential, token or URL query (the HTTP client scrubs
 * the secrets it knows from platform messages before building it).
 */
export class ConnectorError extends Error {
  readonly platform: string;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    details: ConnectorErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectorError';
    this.platform = details.platform;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

const appErrorCodeOf: Record<ConnectorErrorKind, ErrorCode> = {
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  RATE_LIMITED: 'RATE_LIMITED',
  NOT_FOUND: 'NOT_FOUND',
  VALIDATION: 'BAD_USER_INPUT',
  PLATFORM_UNAVAILABLE: 'PLATFORM_UNAVAILABLE',
};

/** The same failure as the API reports it (VALIDATION becomes BAD_USER_INPUT). */
export function connectorErrorToAppError(error: ConnectorError): AppError {
  return new AppError(
    appErrorCodeOf[error.kind],
    error.message,
    {
      platform: error.platform,
      ...(error.status !== undefined && { platformStatus: error.status }),
      ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    },
    { cause: error },
  );
}
