import { AppError } from '../errors.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { apiTokenMarker, checkApiToken } from './api-tokens.ts';
import { createJwtVerifier, ensureJwtUser } from './jwt.ts';

export interface Viewer {
  userId: string;
  via: 'api_token' | 'jwt';
  tokenId?: string;
}

export type Authenticate = (authorization: string | undefined | null) => Promise<Viewer>;

const createTokenHint = 'create one with `npm run token -- create --user <email>`';

/**
 * Turns an Authorization header value into the viewer, or throws UNAUTHENTICATED.
 * `prisma` is the system client: the token is looked up before the user is known.
 */
export function createAuthenticator(options: {
  prisma: PrismaClient;
  jwtSecret?: string | undefined;
  jwksUrl?: string | undefined;
}): Authenticate {
  const { prisma } = options;
  const verifyJwt = createJwtVerifier(options);

  return async (authorization) => {
    const token = bearerToken(authorization);
    if (token.startsWith(apiTokenMarker)) {
      const check = await checkApiToken(prisma, token);
      switch (check.status) {
        case 'valid':
          return { userId: check.userId, via: 'api_token', tokenId: check.tokenId };
        case 'unknown':
          throw unauthenticated(`The API token is not recognised; check it was copied whole, or ${createTokenHint}`);
        case 'revoked':
          throw unauthenticated(`The API token is revoked; ${createTokenHint}`);
        case 'expired':
          throw unauthenticated(`The API token has expired; ${createTokenHint}`);
      }
    }
    if (!verifyJwt) {
      throw unauthenticated(
        'This hub accepts API tokens (hub_…) only: JWT sign-in is not configured (JWT_SECRET or JWKS_URL)',
      );
    }
    const identity = await verifyJwt(token);
    await ensureJwtUser(prisma, identity);
    return { userId: identity.userId, via: 'jwt' };
  };
}

function bearerToken(authorization: string | undefined | null): string {
  const value = authorization?.trim();
  if (!value) throw unauthenticated('Missing Authorization: Bearer <token> header');
  const [scheme, ...rest] = value.split(/\s+/);
  if (scheme?.toLowerCase() !== 'bearer') {
    throw unauthenticated('The Authorization header must use the Bearer scheme: Authorization: Bearer <token>');
  }
  const [token] = rest;
  if (!token || rest.length > 1) {
    throw unauthenticated('The Authorization header must be exactly "Bearer <token>", with one token');
  }
  return token;
}

function unauthenticated(message: string): AppError {
  return new AppError('UNAUTHENTICATED', message);
}
