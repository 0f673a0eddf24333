import type { PrismaClient } from '../generated/prisma/client.ts';

/** The database role tenant queries run under; Row Level Security applies to it (see the rls migration). */
export const appRole = 'hub_app';

export type TenantTransaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Makes the following statements of the current transaction run as the app role
 * for one user. Transaction-local (set_config's `true`), so a pooled connection
 * never carries a user id into the next transaction.
 */
function scopeStatement(prisma: PrismaClient | TenantTransaction, userId: string) {
  return prisma.$executeRaw`SELECT set_config('role', ${appRole}, true), set_config('app.user_id', ${userId}, true)`;
}

/**
 * A client whose every operation (model queries and raw SQL alike) runs in its own
 * transaction as the app role scoped to `userId`, so even an unfiltered query only
 * sees that user's rows.
 */
export function forUser(prisma: PrismaClient, userId: string) {
  return prisma.$extends({
    name: 'tenant',
    query: {
      async $allOperations({ args, query }) {
        const [, result] = await prisma.$transaction([scopeStatement(prisma, userId), query(args)]);
        return result;
      },
    },
  });
}

export type TenantClient = ReturnType<typeof forUser>;

/**
 * Prisma's defaults (2 s to start, 5 s to run) are tight for a sync page of a few
 * hundred rows, or on embedded PostgreSQL where transactions queue one behind another.
 */
const transactionLimits = { maxWait: 15_000, timeout: 60_000 };

/** Runs several statements atomically as one user (for services that need an interactive transaction). */
export function withUser<T>(
  prisma: PrismaClient,
  userId: string,
  work: (tx: TenantTransaction) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await scopeStatement(tx, userId);
    return work(tx);
  }, transactionLimits);
}
