/**
 * Typed errors every layer can throw. The GraphQL layer turns them into errors
 * with `extensions.code`; the HTTP routes into 4xx JSON bodies. Messages are
 * written for the user and never contain a credential.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_CREDENTIALS'
  | 'PLATFORM_UNAVAILABLE'
  | 'RATE_LIMITED';

export interface FieldError {
  /** Path of the offending input field, e.g. ["credentials", "api_key"]. */
  path: (string | number)[];
  message: string;
}

export interface AppErrorDetails {
  fieldErrors?: FieldError[];
  /** For RATE_LIMITED: when the caller may try again. */
  retryAfterSeconds?: number;
  /** Extra non-secret facts for the client (e.g. the platform). */
  [key: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export const httpStatusOf: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_CREDENTIALS: 422,
  PLATFORM_UNAVAILABLE: 502,
  RATE_LIMITED: 429,
};

/** Missing and not-yours look the same to the caller. */
export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found.`);
}
