import type { CanonicalProduct } from '../../connectors/contract.ts';
import type { TenantTransaction } from '../../db/tenant.ts';
import { canonicalFromRow } from './canonical.ts';

/**
 * Local products a unit of work is about to merge into, read and row-locked in
 * one statement, so an edit committed between our read and our write is not
 * silently overwritten: the edit waits for our commit (or we wait for it and
 * read its result). Raw SQL with array parameters: one index scan, where a
 * query builder's IN list of hundreds of parameters costs several times more.
 */

export interface LockedProduct {
  id: string;
  sku: string;
  deletedAt: Date | null;
  /** products.field_updated_at: when each field last changed locally. */
  fieldUpdatedAt: Record<string, unknown>;
  /** Already mapped on this integration. */
  linked: boolean;
  values: CanonicalProduct;
}

interface LockedRow {
  id: string;
  sku: string;
  title: string;
  description: string | null;
  price: string;
  currency: string;
  stock: number;
  images: string[];
  attributes: Record<string, unknown> | null;
  status: CanonicalProduct['status'];
  field_updated_at: Record<string, unknown> | null;
  deleted_at: Date | null;
  linked: boolean;
}

const lockedColumns = `p.id, p.sku, p.title, p.description, p.price::text AS price, p.currency, p.stock, p.images, p.attributes,
       p.status::text AS status, p.field_updated_at, p.deleted_at,
       EXISTS (SELECT 1 FROM marketplace_product_mappings m WHERE m.product_id = p.id AND m.integration_id = $1::uuid) AS linked`;

/** Products by id (deleted ones included: the caller decides). */
export async function lockProductsById(tx: TenantTransaction, integrationId: string, ids: string[]): Promise<LockedProduct[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<LockedRow[]>(
    `SELECT ${lockedColumns} FROM products p WHERE p.id = ANY($2::uuid[]) ORDER BY p.id FOR UPDATE OF p`,
    integrationId,
    ids,
  );
  return rows.map(lockedProductOf);
}

/** The user's live products with these SKUs. */
export async function lockProductsBySku(tx: TenantTransaction, integrationId: string, userId: string, skus: string[]): Promise<LockedProduct[]> {
  if (skus.length === 0) return [];
  const rows = await tx.$queryRawUnsafe<LockedRow[]>(
    `SELECT ${lockedColumns} FROM products p
      WHERE p.user_id = $2::uuid AND p.sku = ANY($3::text[]) AND p.deleted_at IS NULL
      ORDER BY p.id FOR UPDATE OF p`,
    integrationId,
    userId,
    skus,
  );
  return rows.map(lockedProductOf);
}

function lockedProductOf(row: LockedRow): LockedProduct {
  return {
    id: row.id,
    sku: row.sku,
    deletedAt: row.deleted_at,
    fieldUpdatedAt: row.field_updated_at ?? {},
    linked: row.linked,
    values: canonicalFromRow(row),
  };
}
