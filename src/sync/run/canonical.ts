import { z } from 'zod';
import type { CanonicalProduct, RemoteProduct } from '../../connectors/contract.ts';
import { Prisma, type Product } from '../../generated/prisma/client.ts';

/**
 * The local product ⇄ CanonicalProduct mapping, with the normalisation that makes
 * both sides comparable: a price is a plain decimal string without trailing zeros
 * ("19.9", "20"), rounded to the 4 places the catalog stores.
 */

/** Every field of a CanonicalProduct, in the order hashes read them. */
export const canonicalFields = ['sku', 'currency', 'title', 'description', 'price', 'stock', 'images', 'attributes', 'status'] as const;

const plainDecimal = /^(\d+)(?:\.(\d{0,4}))?$/;

export function normalizePrice(price: string | number | Prisma.Decimal): string {
  // The common case (hashed for every product of every page) without a Decimal.
  const plain = typeof price === 'string' ? plainDecimal.exec(price) : null;
  if (plain) {
    const whole = plain[1]!.replace(/^0+(?=\d)/, '');
    const fraction = (plain[2] ?? '').replace(/0+$/, '');
    return fraction ? `${whole}.${fraction}` : whole;
  }
  try {
    return new Prisma.Decimal(price).toDecimalPlaces(4).toFixed();
  } catch {
    return String(price);
  }
}

export function canonicalFromProduct(product: Product): CanonicalProduct {
  return {
    sku: product.sku,
    title: product.title,
    description: product.description,
    price: normalizePrice(product.price),
    currency: product.currency,
    stock: product.stock,
    images: product.images,
    attributes: (product.attributes ?? {}) as Record<string, unknown>,
    status: product.status,
  };
}

/** The products columns a raw SQL read selects (price as text, attributes as JSON). */
export interface ProductRow {
  sku: string;
  title: string;
  description: string | null;
  price: string;
  currency: string;
  stock: number;
  images: string[];
  attributes: Record<string, unknown> | null;
  status: CanonicalProduct['status'];
}

export function canonicalFromRow(row: ProductRow): CanonicalProduct {
  return {
    sku: row.sku,
    title: row.title,
    description: row.description,
    price: normalizePrice(row.price),
    currency: row.currency,
    stock: row.stock,
    images: row.images,
    attributes: row.attributes ?? {},
    status: row.status,
  };
}

/** A remote product without its platform identity, normalised like a local one. */
export function canonicalFromRemote(remote: RemoteProduct): CanonicalProduct {
  return {
    sku: remote.sku,
    title: remote.title,
    description: remote.description,
    price: normalizePrice(remote.price),
    currency: remote.currency,
    stock: remote.stock,
    images: remote.images,
    attributes: remote.attributes,
    status: remote.status,
  };
}

/** JSON with object keys sorted at every depth: equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || stableStringify(a) === stableStringify(b);
}

/**
 * mapping.base_values: the values both sides held at the last sync, one key per
 * field (a missing key = no base for that field, e.g. a product linked by SKU).
 */
export type BaseValues = Partial<CanonicalProduct>;

const baseValuesSchema = z
  .object({
    sku: z.string(),
    currency: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    price: z.string(),
    stock: z.number(),
    images: z.array(z.string()),
    attributes: z.record(z.string(), z.unknown()),
    status: z.enum(['active', 'draft', 'archived']),
  })
  .partial();

export function readBaseValues(json: unknown): BaseValues | null {
  if (json === null || json === undefined) return null;
  const parsed = baseValuesSchema.safeParse(json);
  return parsed.success ? (parsed.data as BaseValues) : null;
}

/** The columns of a products row for these values (create or full update). */
export function productColumns(values: CanonicalProduct) {
  return {
    sku: values.sku,
    title: values.title,
    description: values.description,
    price: values.price,
    currency: values.currency,
    stock: values.stock,
    images: values.images,
    attributes: values.attributes as Prisma.InputJsonObject,
    status: values.status,
  };
}
