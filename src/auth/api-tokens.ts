import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** Every API token starts with this, so a bearer token can be told apart from a JWT. */
export const apiTokenMarker = 'hub_';
const displayPrefixLength = 12;
/** A token's last use is written at most this often, so a busy client does not write on every request. */
export const lastUsedWriteIntervalMs = 60_000;

export interface CreatedApiToken {
  /** The clear token: returned once, never stored. */
  token: string;
  id: string;
  userId: string;
  prefix: string;
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export type ApiTokenCheck =
  | { status: 'valid'; userId: string; tokenId: string }
  | { status: 'unknown' | 'revoked' | 'expired' };

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The address lower-cased and trimmed, or undefined when it is not an e-mail address. */
export function parseEmail(email: string): string | undefined {
  const normalized = email.trim().toLowerCase();
  return z.email().safeParse(normalized).success ? normalized : undefined;
}

/** Lower-cased, trimmed e-mail address; BAD_USER_INPUT when it is not one. */
export function normalizeEmail(email: string): string {
  const normalized = parseEmail(email);
  if (normalized === undefined) {
    throw new AppError('BAD_USER_INPUT', `"${email}" is not a valid e-mail address`, {
      fieldErrors: [{ path: ['email'], message: 'expected an e-mail address' }],
    });
  }
  return normalized;
}

/** Creates a token for the user with this e-mail, creating the user if needed. */
export async function createApiToken(
  prisma: PrismaClient,
  input: { email: string; name: string; expiresAt?: Date },
): Promise<CreatedApiToken> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (!name) {
    throw new AppError('BAD_USER_INPUT', 'An API token needs a name', {
      fieldErrors: [{ path: ['name'], message: 'expected a non-empty label' }],
    });
  }
  if (input.expiresAt && !(input.expiresAt.getTime() > Date.now())) {
    throw new AppError('BAD_USER_INPUT', 'The expiry date of an API token must be in the future', {
      fieldErrors: [{ path: ['expiresAt'], message: 'expected a future date' }],
    });
  }
  const user = await prisma.user.upsert({ where: { email }, create: { email }, update: {}, select: { id: true } });
  const token = apiTokenMarker + randomBytes(32).toString('base64url');
  const prefix = token.slice(0, displayPrefixLength);
  const created = await prisma.apiToken.create({
    data: { userId: user.id, name, tokenHash: hashApiToken(token), prefix, expiresAt: input.expiresAt ?? null },
    select: { id: true },
  });
  return { token, id: created.id, userId: user.id, prefix };
}

/** The user's tokens, newest first; empty when no user has this e-mail. */
export async function listApiTokens(prisma: PrismaClient, email: string): Promise<ApiTokenSummary[]> {
  return prisma.apiToken.findMany({
    where: { user: { email: normalizeEmail(email) } },
    orderBy: { createdAt: 'desc' },
    select: summaryFields,
  });
}

/** Revokes a token. Revoking it again is harmless and keeps the first revocation time. */
export async function revokeApiToken(
  prisma: PrismaClient,
  tokenId: string,
): Promise<ApiTokenSummary & { alreadyRevoked: boolean }> {
  const notFound = new AppError('NOT_FOUND', `No API token has the id "${tokenId}"; list the tokens to see their ids`);
  if (!z.uuid().safeParse(tokenId).success) throw notFound;
  const { count } = await prisma.apiToken.updateMany({
    where: { id: tokenId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const token = await prisma.apiToken.findUnique({ where: { id: tokenId }, select: summaryFields });
  if (!token) throw notFound;
  return { ...token, alreadyRevoked: count === 0 };
}

/**
 * Looks a clear token up by its hash and says whether it may be used, recording the
 * use. Every token costs one lookup whatever the outcome; only a valid one may also
 * cost the (throttled) last-use write.
 */
export async function checkApiToken(prisma: PrismaClient, token: string): Promise<ApiTokenCheck> {
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, userId: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row) return { status: 'unknown' };
  const now = new Date();
  if (row.revokedAt) return { status: 'revoked' };
  if (row.expiresAt && row.expiresAt <= now) return { status: 'expired' };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= lastUsedWriteIntervalMs) {
    const staleBefore = new Date(now.getTime() - lastUsedWriteIntervalMs);
    // Conditional, so concurrent requests (or instances) that all saw a stale value write once.
    await prisma.apiToken.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
  return { status: 'valid', userId: row.userId, tokenId: row.id };
}

/** The token's user, or null when the token is unknown, revoked or expired. */
export async function verifyApiToken(
  prisma: PrismaClient,
  token: string,
): Promise<{ userId: string; tokenId: string } | null> {
  const check = await checkApiToken(prisma, token);
  return check.status === 'valid' ? { userId: check.userId, tokenId: check.tokenId } : null;
}

const summaryFields = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} as const;
