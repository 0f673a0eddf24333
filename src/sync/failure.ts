import { ConnectorError } from '../connectors/http/connector-error.ts';
import { AppError } from '../errors.ts';
import { SealedDataError } from '../secrets/sealing.ts';
import { JobCancelledError, LeaseLostError } from './job-context.ts';

/** The worker is shutting down: the job goes back to the queue at its last checkpoint. */
export class WorkerStoppingError extends Error {
  constructor() {
    super('The worker is stopping; the sync job resumes from its last checkpoint elsewhere.');
    this.name = 'WorkerStoppingError';
  }
}

/** A job claimed again after its worker died once more than max_attempts allows (a job that kills its workers). */
export class AttemptsExhaustedError extends Error {
  constructor(readonly maxAttempts: number) {
    super(`Gave up after ${maxAttempts} attempts: the worker running it stopped without finishing each time.`);
    this.name = 'AttemptsExhaustedError';
  }
}

/** What a job stores in its `error` column: never a credential (connector messages are scrubbed). */
export interface JobErrorJson {
  code: string;
  message: string;
  platform?: string;
  platformStatus?: number;
}

export type JobFailure =
  | { kind: 'cancelled' }
  | { kind: 'lease_lost' }
  | { kind: 'stopping' }
  | { kind: 'rate_limited'; retryAfterSeconds: number; error: JobErrorJson }
  /** Retrying cannot help (credentials refused, request invalid, platform not supported). */
  | { kind: 'permanent'; error: JobErrorJson }
  | { kind: 'retryable'; error: JobErrorJson };

const permanentCodes = new Set(['INVALID_CREDENTIALS', 'BAD_USER_INPUT', 'VALIDATION']);

/** Sorts what a handler (or opening its connector) threw into what the runner does next. */
export function classifyFailure(error: unknown): JobFailure {
  if (error instanceof JobCancelledError) return { kind: 'cancelled' };
  if (error instanceof LeaseLostError) return { kind: 'lease_lost' };
  if (error instanceof WorkerStoppingError) return { kind: 'stopping' };
  if (error instanceof ConnectorError) {
    const json: JobErrorJson = {
      code: error.kind,
      message: error.message,
      platform: error.platform,
      ...(error.status !== undefined && { platformStatus: error.status }),
    };
    if (error.kind === 'RATE_LIMITED' && error.retryAfterSeconds !== undefined) {
      return { kind: 'rate_limited', retryAfterSeconds: error.retryAfterSeconds, error: json };
    }
    return { kind: permanentCodes.has(error.kind) ? 'permanent' : 'retryable', error: json };
  }
  if (error instanceof AppError) {
    const json: JobErrorJson = {
      code: error.code,
      message: error.message,
      ...(typeof error.details.platform === 'string' && { platform: error.details.platform }),
    };
    const retryAfter = error.details.retryAfterSeconds;
    if (error.code === 'RATE_LIMITED' && typeof retryAfter === 'number') {
      return { kind: 'rate_limited', retryAfterSeconds: retryAfter, error: json };
    }
    const permanent = permanentCodes.has(error.code) || error.details.retryable === false;
    return { kind: permanent ? 'permanent' : 'retryable', error: json };
  }
  if (error instanceof AttemptsExhaustedError) return { kind: 'permanent', error: { code: 'ATTEMPTS_EXHAUSTED', message: error.message } };
  if (error instanceof SealedDataError) {
    return { kind: 'permanent', error: { code: 'CREDENTIALS_UNREADABLE', message: `${error.message}. Reconnect the marketplace.` } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'retryable', error: { code: 'INTERNAL', message } };
}
