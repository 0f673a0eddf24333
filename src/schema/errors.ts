import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { AppError, httpStatusOf } from '../errors.ts';
import type { Logger } from '../logger.ts';

export function toGraphQLError(error: AppError, path?: readonly (string | number)[]): GraphQLError {
  const { fieldErrors, retryAfterSeconds, ...rest } = error.details;
  return new GraphQLError(error.message, {
    path,
    extensions: {
      code: error.code,
      ...(fieldErrors ? { fieldErrors } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...rest,
      // Only an unauthenticated request changes the HTTP status; field errors keep 200 per GraphQL over HTTP.
      ...(error.code === 'UNAUTHENTICATED' ? { http: { status: httpStatusOf.UNAUTHENTICATED } } : {}),
    },
  });
}

/**
 * Yoga's error mask: typed AppErrors become errors with `extensions.code`;
 * GraphQL's own errors (syntax, validation) pass through; anything else is
 * logged with a correlation id and reaches the client as that id only — no
 * stack, no SQL, no secret.
 */
export function createErrorMask(logger: Logger) {
  return (error: unknown): Error => {
    const original = error instanceof GraphQLError ? (error.originalError ?? undefined) : error;
    if (original instanceof AppError) return toGraphQLError(original, error instanceof GraphQLError ? error.path : undefined);
    if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
    const correlationId = randomUUID();
    logger.error({ correlationId, err: original }, 'unexpected error');
    return new GraphQLError(`Unexpected error; quote ${correlationId} when reporting it.`, {
      path: error instanceof GraphQLError ? error.path : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
    });
  };
}
