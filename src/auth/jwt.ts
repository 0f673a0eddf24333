import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { parseEmail } from './api-tokens.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

export const jwtClockToleranceSeconds = 5;
const secretAlgorithm = 'HS256';
const keySetAlgorithms = ['RS256', 'ES256'];

export interface JwtIdentity {
  userId: string;
  email: string | undefined;
}

export type VerifyJwt = (token: string) => Promise<JwtIdentity>;

/**
 * A verifier for the configured issuers: HS256 with the shared secret and/or RS256 /
 * ES256 with the keys of a JSON Web Key Set. The header's alg picks the key, and only
 * the configured algorithms are allowed, so neither `none` nor an HS token checked
 * against a public key can get through. Undefined when neither is configured.
 * Failures throw UNAUTHENTICATED; a key set that cannot be fetched is a server fault
 * and throws as is.
 */
export function createJwtVerifier(options: {
  jwtSecret?: string | undefined;
  jwksUrl?: string | undefined;
}): VerifyJwt | undefined {
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const keySet = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  if (!secret && !keySet) return undefined;
  const algorithms = [...(secret ? [secretAlgorithm] : []), ...(keySet ? keySetAlgorithms : [])];
  // jose checks the alg against `algorithms` before asking for a key, and the key's type against the alg.
  const keyFor: JWTVerifyGetKey = async (header, jws) => {
    if (header.alg === secretAlgorithm && secret) return secret;
    if (keySet) return keySet(header, jws);
    throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keyFor, {
        algorithms,
        clockTolerance: jwtClockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw unauthenticatedFor(error, algorithms);
    }
    const sub = payload.sub ?? '';
    if (!z.uuid().safeParse(sub).success) {
      throw new AppError('UNAUTHENTICATED', "The token's sub claim must be the user's id (a UUID)");
    }
    // Lower case, as PostgreSQL prints a uuid, so the id compares equal to the stored one.
    return { userId: sub.toLowerCase(), email: typeof payload.email === 'string' ? payload.email : undefined };
  };
}

function unauthenticatedFor(error: unknown, algorithms: string[]): unknown {
  const fail = (message: string) => new AppError('UNAUTHENTICATED', message, {}, { cause: error });
  if (error instanceof errors.JWTExpired) return fail('The token has expired; sign in again to get a new one');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'exp') return fail('The token has no expiry (exp claim); this hub only accepts expiring tokens');
    if (error.claim === 'sub') return fail("The token has no sub claim naming the user");
    if (error.claim === 'nbf') return fail('The token is not valid yet (nbf claim); check the clocks');
    return fail(`The token's ${error.claim} claim is invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return fail(`The token's signing algorithm is not accepted; this hub accepts ${algorithms.join(', ')}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return fail('The token is not signed by a key this hub trusts');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return fail('The bearer token is neither an API token (hub_…) nor a well-formed JWT');
  }
  // The key set could not be fetched or parsed, or a key in it is unusable: the hub's problem, not the caller's.
  return error;
}

/**
 * Creates the user of a JWT on first sight, with id = sub and the token's e-mail;
 * an existing user is never changed. When there is no e-mail claim, or the address
 * already belongs to another user, a synthetic one takes its place.
 */
export async function ensureJwtUser(prisma: PrismaClient, identity: JwtIdentity): Promise<void> {
  const existing = await prisma.user.findUnique({ where: { id: identity.userId }, select: { id: true } });
  if (existing) return;
  const email = identity.email ? parseEmail(identity.email) : undefined;
  const candidates = [email, `${identity.userId}@jwt.invalid`].filter((value) => value !== undefined);
  for (const candidate of candidates) {
    // skipDuplicates = ON CONFLICT DO NOTHING: a concurrent first request, or an e-mail already taken, is no error.
    await prisma.user.createMany({ data: [{ id: identity.userId, email: candidate }], skipDuplicates: true });
    if (await prisma.user.findUnique({ where: { id: identity.userId }, select: { id: true } })) return;
  }
  throw new Error(`Could not create the user ${identity.userId} for a JWT`);
}
