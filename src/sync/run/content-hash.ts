import { createHash } from 'node:crypto';
import type { CanonicalProduct } from '../../connectors/contract.ts';
import { canonicalFields, normalizePrice, stableStringify } from './canonical.ts';

/**
 * Content hashes that let unchanged products cost nothing:
 * - `contentHash` (mapping.pulled_hash) covers every field: the remote as last
 *   pulled; an equal hash on the next pull means nothing to merge or write.
 * - `catalogHash` (mapping.pushed_hash) leaves stock out: the remote's listing as
 *   last known; a local product with the same catalog hash has nothing to push.
 *   Stock moves through the inventory phase (compared with base_values.stock), so
 *   a sale does not resend a whole product.
 */
export function contentHash(values: CanonicalProduct): string {
  return hashOf(values, canonicalFields);
}

const catalogFields = canonicalFields.filter((field) => field !== 'stock');

export function catalogHash(values: CanonicalProduct): string {
  return hashOf(values, catalogFields);
}

function hashOf(values: CanonicalProduct, fields: readonly (keyof CanonicalProduct)[]): string {
  const normalised = fields.map((field) => (field === 'price' ? normalizePrice(values.price) : values[field]));
  return createHash('sha256').update(stableStringify(normalised)).digest('base64url');
}
