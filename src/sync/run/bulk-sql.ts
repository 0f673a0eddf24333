import type { TenantTransaction } from '../../db/tenant.ts';

/**
 * Writes many rows, each with its own values, in one statement: the rows travel
 * as one JSON parameter and jsonb_to_recordset turns them into a table (a page
 * of products costs one round trip, not one per product — and far less than
 * binding thousands of parameters). Table and column names are constants of
 * this module's callers, never input; rows are keyed by column name.
 */

export type ColumnTypes = Record<string, string>;
type Row = Record<string, unknown>;

/** Rows per statement: keeps one parameter well under a few megabytes. */
const chunkSize = 1000;

export async function bulkInsert(
  tx: TenantTransaction,
  table: string,
  columns: ColumnTypes,
  rows: Row[],
  options: { skipConflicts?: boolean } = {},
): Promise<number> {
  const names = Object.keys(columns).map((name) => `"${name}"`).join(', ');
  const sql = `INSERT INTO ${table} (${names})
               SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS v(${recordType(columns)})
               ${options.skipConflicts ? 'ON CONFLICT DO NOTHING' : ''}`;
  let inserted = 0;
  for (const chunk of chunks(rows)) inserted += await tx.$executeRawUnsafe(sql, JSON.stringify(chunk));
  return inserted;
}

/** Updates rows by id; `updated_at` is set to now() unless told otherwise. */
export async function bulkUpdate(
  tx: TenantTransaction,
  table: string,
  columns: ColumnTypes,
  rows: ({ id: string } & Row)[],
  options: { touchUpdatedAt?: boolean } = {},
): Promise<void> {
  const assignments = Object.keys(columns).map((name) => `"${name}" = v."${name}"`);
  if (options.touchUpdatedAt ?? true) assignments.push('updated_at = now()');
  const sql = `UPDATE ${table} AS t SET ${assignments.join(', ')}
                 FROM jsonb_to_recordset($1::jsonb) AS v(${recordType({ id: 'uuid', ...columns })})
                WHERE t.id = v.id`;
  for (const chunk of chunks(rows)) await tx.$executeRawUnsafe(sql, JSON.stringify(chunk));
}

function recordType(columns: ColumnTypes): string {
  return Object.entries(columns)
    .map(([name, type]) => `"${name}" ${type}`)
    .join(', ');
}

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let start = 0; start < rows.length; start += chunkSize) yield rows.slice(start, start + chunkSize);
}

export const productValueColumns: ColumnTypes = {
  title: 'text',
  description: 'text',
  price: 'numeric',
  stock: 'int',
  images: 'text[]',
  attributes: 'jsonb',
  status: 'product_status',
};

export const productInsertColumns: ColumnTypes = {
  id: 'uuid',
  user_id: 'uuid',
  sku: 'text',
  currency: 'text',
  ...productValueColumns,
};

export const mappingInsertColumns: ColumnTypes = {
  id: 'uuid',
  user_id: 'uuid',
  integration_id: 'uuid',
  product_id: 'uuid',
  external_id: 'text',
  external_sku: 'text',
  external_variant_id: 'text',
  status: 'mapping_status',
  base_values: 'jsonb',
  pulled_hash: 'text',
  pushed_hash: 'text',
  remote_updated_at: 'timestamptz',
  last_pulled_at: 'timestamptz',
  last_pushed_at: 'timestamptz',
};
