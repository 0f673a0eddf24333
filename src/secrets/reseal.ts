import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { KeyRing } from './key-ring.ts';
import { openJson, sealJson, SealedDataError, type SealedDataFailure, type SealPurpose } from './sealing.ts';

/**
 * Re-sealing under the active key, after a rotation. Needs the system client (the
 * connecting user, which Row Level Security does not bind): it reads every tenant.
 */

export interface SealedColumn {
  name: string;
  table: string;
  sealedColumn: string;
  keyIdColumn: string;
  purpose: SealPurpose;
}

/** Every sealed value in the database. Table and column names are constants, never input (they are spliced into SQL). */
export const sealedColumns = [
  {
    name: 'integrationCredentials',
    table: 'marketplace_integrations',
    sealedColumn: 'credentials_sealed',
    keyIdColumn: 'credentials_key_id',
    purpose: 'integration_credentials',
  },
  {
    name: 'webhookSecret',
    table: 'marketplace_webhooks',
    sealedColumn: 'secret_sealed',
    keyIdColumn: 'secret_key_id',
    purpose: 'webhook_secret',
  },
  {
    name: 'webhookPreviousSecret',
    table: 'marketplace_webhooks',
    sealedColumn: 'previous_secret_sealed',
    keyIdColumn: 'previous_secret_key_id',
    purpose: 'webhook_previous_secret',
  },
  {
    name: 'oauthVerifier',
    table: 'oauth_connect_states',
    sealedColumn: 'verifier_sealed',
    keyIdColumn: 'verifier_key_id',
    purpose: 'oauth_verifier',
  },
] as const satisfies readonly SealedColumn[];

export type SealedColumnName = (typeof sealedColumns)[number]['name'];

export interface SealedRow {
  id: string;
  userId: string;
  sealed: Uint8Array;
  keyId: string;
}

export interface ResealReport {
  resealed: Record<SealedColumnName, number>;
  /** Values rewritten by someone else between our read and our write, left as they are; a new run picks up any still stale. */
  changedConcurrently: number;
  /** Values that could not be opened (their key is not in the ring, or they are damaged); ids only. */
  failed: { column: SealedColumnName; id: string; keyId: string; reason: SealedDataFailure }[];
}

/**
 * Re-seals every value whose key id is not the active one, in batches walked by
 * primary key. Safe to interrupt and run again (what is done is no longer selected),
 * and alongside the service: each write is a compare-and-set on the old key id and
 * blob, so a value a writer replaced meanwhile is never overwritten. Rows keep their
 * updated_at: the value they hold has not changed.
 */
export async function resealAll(
  prisma: PrismaClient,
  ring: KeyRing,
  { batchSize = 100 }: { batchSize?: number } = {},
): Promise<ResealReport> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const report: ResealReport = {
    resealed: { integrationCredentials: 0, webhookSecret: 0, webhookPreviousSecret: 0, oauthVerifier: 0 },
    changedConcurrently: 0,
    failed: [],
  };
  for (const column of sealedColumns) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await staleRows(prisma, column, ring.activeKeyId, after, batchSize);
      for (const row of rows) {
        try {
          if (await resealRow(prisma, ring, column, row)) report.resealed[column.name]++;
          else report.changedConcurrently++;
        } catch (error) {
          if (!(error instanceof SealedDataError)) throw error;
          report.failed.push({ column: column.name, id: row.id, keyId: row.keyId, reason: error.reason });
        }
      }
      const last = rows.at(-1);
      if (!last || rows.length < batchSize) break;
      after = last.id;
    }
  }
  return report;
}

/** Re-seals one value under the active key; false when the row changed since it was read (nothing written). */
export async function resealRow(prisma: PrismaClient, ring: KeyRing, column: SealedColumn, row: SealedRow): Promise<boolean> {
  const context = { userId: row.userId, recordId: row.id, purpose: column.purpose };
  const next = sealJson(ring, openJson<unknown>(ring, row.sealed, row.keyId, context), context);
  const { table, sealedColumn, keyIdColumn } = identifiers(column);
  const updated = await prisma.$executeRaw`
    UPDATE ${table} SET ${sealedColumn} = ${next.sealed}, ${keyIdColumn} = ${next.keyId}
     WHERE id = ${row.id}::uuid AND ${keyIdColumn} = ${row.keyId} AND ${sealedColumn} = ${row.sealed}`;
  return updated === 1;
}

/** How many sealed values each key id holds, per column (key ids only, for `keys status`). */
export async function countSealedByKeyId(
  prisma: PrismaClient,
): Promise<{ column: SealedColumnName; keyId: string; count: number }[]> {
  const counts: { column: SealedColumnName; keyId: string; count: number }[] = [];
  for (const column of sealedColumns) {
    const { table, sealedColumn, keyIdColumn } = identifiers(column);
    const rows = await prisma.$queryRaw<{ keyId: string; count: number }[]>`
      SELECT ${keyIdColumn} AS "keyId", count(*)::int AS count FROM ${table}
       WHERE ${sealedColumn} IS NOT NULL AND ${keyIdColumn} IS NOT NULL
       GROUP BY 1 ORDER BY 1`;
    counts.push(...rows.map((row) => ({ column: column.name, ...row })));
  }
  return counts;
}

function staleRows(prisma: PrismaClient, column: SealedColumn, activeKeyId: string, after: string, limit: number) {
  const { table, sealedColumn, keyIdColumn } = identifiers(column);
  return prisma.$queryRaw<SealedRow[]>`
    SELECT id::text AS id, user_id::text AS "userId", ${sealedColumn} AS sealed, ${keyIdColumn} AS "keyId"
      FROM ${table}
     WHERE ${keyIdColumn} <> ${activeKeyId} AND ${sealedColumn} IS NOT NULL AND id > ${after}::uuid
     ORDER BY id
     LIMIT ${limit}`;
}

function identifiers(column: SealedColumn) {
  const quote = (name: string) => Prisma.raw(`"${name}"`);
  return { table: quote(column.table), sealedColumn: quote(column.sealedColumn), keyIdColumn: quote(column.keyIdColumn) };
}
