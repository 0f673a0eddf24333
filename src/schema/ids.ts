import { decodeGlobalID } from '@pothos/plugin-relay';
import { AppError } from '../errors.ts';

/**
 * Decodes a Relay global ID of the expected type. A malformed id or one of another
 * type is bad input; whether the row exists (and is the caller's) is for the
 * service to say with NOT_FOUND.
 */
export function parseGlobalId(globalId: string, typename: string, argument: string): string {
  try {
    const { typename: actual, id } = decodeGlobalID(globalId);
    if (actual === typename && /^[0-9a-f-]{36}$/i.test(id)) return id;
  } catch {
    // fall through to the typed error
  }
  throw new AppError('BAD_USER_INPUT', `${argument} is not a valid ${typename} id.`, {
    fieldErrors: [{ path: [argument], message: `expected a ${typename} id` }],
  });
}

/** For optional id filters: absent stays absent, present must be valid. */
export function optionalGlobalId(globalId: string | number | null | undefined, typename: string, argument: string): string | undefined {
  return globalId == null ? undefined : parseGlobalId(String(globalId), typename, argument);
}
