import type { z } from 'zod';
import { AppError, type FieldError } from '../errors.ts';

/**
 * Validates GraphQL input with zod; failures become BAD_USER_INPUT with a field
 * path per problem (rooted at the argument name) so clients can show each error
 * next to its field.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  argument: string | (string | number)[],
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fieldErrors: FieldError[] = result.error.issues.map((issue) => ({
    path: [...(Array.isArray(argument) ? argument : [argument]), ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
  }));
  throw new AppError('BAD_USER_INPUT', invalidInputMessage(fieldErrors), { fieldErrors });
}

export function invalidInputMessage(fieldErrors: FieldError[]): string {
  const first = fieldErrors[0];
  if (!first) return 'Invalid input.';
  const more = fieldErrors.length > 1 ? ` (and ${fieldErrors.length - 1} more)` : '';
  return `Invalid input at ${first.path.join('.')}: ${first.message}${more}`;
}
