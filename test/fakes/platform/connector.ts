import { z } from 'zod';
import type {
  CanonicalProduct,
  Connector,
  ConnectorCapabilities,
  ConnectorFactory,
  ConnectorLimits,
  Page,
  PageCursor,
  RemoteOrder,
  RemoteProduct,
  WriteResult,
} from '../../../src/connectors/contract.ts';
import { endpoint } from '../../../src/connectors/http/base-urls.ts';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../../src/connectors/http/http-client.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * A Connector for the fake platform (test/fakes/platform/server.ts), over real
 * HTTP through the shared client in src/connectors/http/ — the model a real
 * connector follows: the platform's wire shapes and paths stay in this file,
 * validated with zod and mapped to the canonical product and order; the client
 * adds timeouts, retries of idempotent calls on 5xx, typed errors, and the
 * request budget paces every attempt so the platform's limit is never hit.
 */

export interface PlatformConnectorOptions {
  baseUrl: string;
  token: string;
  limits?: Partial<ConnectorLimits>;
  capabilities?: Partial<ConnectorCapabilities>;
  /** The platform's documented budget; requests are spaced to stay within it. */
  requestsPerSecond?: number;
  http?: Partial<HttpClientOptions>;
  /** Aborts requests in flight when the job must stop. */
  signal?: AbortSignal;
}

export const platformDefaults = {
  limits: { productPageSize: 100, orderPageSize: 100, writeBatchSize: 50, stockBatchSize: 200 } satisfies ConnectorLimits,
  capabilities: { incrementalProducts: true, incrementalOrders: true, marketplaceOwnsStock: false } satisfies ConnectorCapabilities,
};

// ─── Wire shapes ────────────────────────────────────────────────────────────────

const wireProduct = z.object({
  id: z.string(),
  sku: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  price: z.string(),
  currency: z.string(),
  stock: z.number().int(),
  images: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  status: z.enum(['active', 'draft', 'archived']),
  updated_at: z.string(),
});

const productList = z.object({ products: z.array(wireProduct), next_page_token: z.string().nullable(), total: z.number().optional() });

const wireOrder = z.object({
  id: z.string(),
  status: z.enum(['pending', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded']),
  currency: z.string(),
  subtotal: z.string().nullable(),
  shipping: z.string().nullable(),
  total: z.string(),
  buyer: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  shipping_country: z.string().nullable(),
  placed_at: z.string(),
  updated_at: z.string(),
  lines: z.array(
    z.object({
      id: z.string(),
      product_id: z.string().nullable(),
      sku: z.string().nullable(),
      title: z.string(),
      quantity: z.number().int(),
      unit_price: z.string(),
    }),
  ),
});

const orderList = z.object({ orders: z.array(wireOrder), total: z.number() });

const itemError = z.object({ code: z.string(), message: z.string() });
const productResults = z.object({
  results: z.array(z.object({ sku: z.string(), ok: z.boolean(), id: z.string().optional(), error: itemError.optional() })),
});
const stockResults = z.object({
  results: z.array(z.object({ id: z.unknown(), ok: z.boolean(), error: itemError.optional() })),
});

// ─── Mapping ──────────────────────────────────────────────────────────────────

function toRemoteProduct(product: z.infer<typeof wireProduct>): RemoteProduct {
  const { id, updated_at, ...fields } = product;
  return { ...fields, externalId: id, externalVariantId: null, updatedAt: new Date(updated_at) };
}

function toWireFields(product: CanonicalProduct) {
  const { sku, title, description, price, currency, stock, images, attributes, status } = product;
  return { sku, title, description, price, currency, stock, images, attributes, status };
}

function toRemoteOrder(order: z.infer<typeof wireOrder>): RemoteOrder {
  return {
    externalId: order.id,
    status: order.status,
    currency: order.currency,
    subtotalAmount: order.subtotal,
    shippingAmount: order.shipping,
    totalAmount: order.total,
    buyerName: order.buyer?.name ?? null,
    buyerEmail: order.buyer?.email ?? null,
    shippingCountry: order.shipping_country,
    placedAt: new Date(order.placed_at),
    updatedAt: new Date(order.updated_at),
    lines: order.lines.map((line) => ({
      externalLineId: line.id,
      externalProductId: line.product_id,
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
      unitPrice: line.unit_price,
    })),
  };
}

function toWriteResults(results: z.infer<typeof productResults>['results']): WriteResult[] {
  return results.map((result) =>
    result.ok && result.id
      ? { sku: result.sku, ok: true, externalId: result.id }
      : { sku: result.sku, ok: false, error: result.error?.message ?? 'rejected by the platform' },
  );
}

// ─── Connector ────────────────────────────────────────────────────────────────

export function createPlatformConnector(options: PlatformConnectorOptions): Connector {
  const limits = { ...platformDefaults.limits, ...options.limits };
  const capabilities = { ...platformDefaults.capabilities, ...options.capabilities };
  const client = pacedClient(options);
  const headers = { authorization: `Bearer ${options.token}` };
  const url = (path: string, query: Record<string, string | number> = {}) => endpoint(options.baseUrl, path, query);
  const get = <T>(target: URL, schema: z.ZodType<T>) => client.json({ url: target, headers }, schema).then((response) => response.data);
  /** A write; `idempotent` when sending it twice leaves the same state (updates set absolute values). */
  const post = <T>(path: string, json: unknown, schema: z.ZodType<T>, idempotent: boolean) =>
    client.json({ method: 'POST', url: url(path), headers, json, idempotent }, schema).then((response) => response.data);

  async function findOne<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
    try {
      return await get(url(path), schema);
    } catch (error) {
      if ((error as { kind?: string }).kind === 'NOT_FOUND') return null;
      throw error;
    }
  }

  return {
    limits,
    capabilities,

    async listProducts({ cursor, since }): Promise<Page<RemoteProduct>> {
      const query: Record<string, string | number> = { limit: limits.productPageSize };
      if (cursor !== null) query.page_token = String(cursor);
      if (since && capabilities.incrementalProducts) query.updated_since = since.toISOString();
      const page = await get(url('/v1/products', query), productList);
      return { items: page.products.map(toRemoteProduct), next: page.next_page_token, total: page.total };
    },

    async getProduct(externalId) {
      const product = await findOne(`/v1/products/${encodeURIComponent(externalId)}`, wireProduct);
      return product && toRemoteProduct(product);
    },

    async findProductsBySku(skus) {
      const found: RemoteProduct[] = [];
      for (let start = 0; start < skus.length; start += limits.productPageSize) {
        const target = url('/v1/products');
        for (const sku of skus.slice(start, start + limits.productPageSize)) target.searchParams.append('sku', sku);
        const page = await get(target, productList);
        found.push(...page.products.map(toRemoteProduct));
      }
      return found;
    },

    async createProducts(products) {
      const { results } = await post('/v1/products/batch', { products: products.map(toWireFields) }, productResults, false);
      return toWriteResults(results);
    },

    async updateProducts(products) {
      const body = { products: products.map((product) => ({ id: product.externalId, ...toWireFields(product) })) };
      const { results } = await post('/v1/products/batch-update', body, productResults, true);
      return toWriteResults(results);
    },

    async updateStock(updates) {
      const items = updates.map((update) => ({ id: update.externalId, stock: update.stock, ...(update.price !== undefined && { price: update.price }) }));
      const { results } = await post('/v1/inventory/batch', { items }, stockResults, true);
      return updates.map((update, index): WriteResult => {
        const result = results[index];
        return result?.ok
          ? { sku: update.sku, ok: true, externalId: update.externalId }
          : { sku: update.sku, ok: false, externalId: update.externalId, error: result?.error?.message ?? 'no result from the platform' };
      });
    },

    async listOrders({ cursor, since }): Promise<Page<RemoteOrder>> {
      const offset = typeof cursor === 'number' ? cursor : 0;
      const query: Record<string, string | number> = { limit: limits.orderPageSize, offset };
      if (since && capabilities.incrementalOrders) query.updated_since = since.toISOString();
      const page = await get(url('/v1/orders', query), orderList);
      const next: PageCursor | null = offset + page.orders.length < page.total ? offset + page.orders.length : null;
      return { items: page.orders.map(toRemoteOrder), next, total: page.total };
    },

    async getOrder(externalId) {
      const order = await findOne(`/v1/orders/${encodeURIComponent(externalId)}`, wireOrder);
      return order && toRemoteOrder(order);
    },
  };
}

/** The shared HTTP client, with each attempt (retries included) waiting for the request budget. */
function pacedClient(options: PlatformConnectorOptions): HttpClient {
  const budget = options.requestsPerSecond ? new TokenBucket(1, options.requestsPerSecond) : null;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    await budget?.take();
    const signal = options.signal && init?.signal ? AbortSignal.any([options.signal, init.signal]) : (options.signal ?? init?.signal);
    return globalThis.fetch(input, { ...init, signal });
  };
  return createHttpClient({ platform: 'Test platform', secrets: [options.token] }, { maxAttempts: 3, backoffBaseMs: 50, ...options.http, fetch });
}

/** The connector as the runner builds it: credentials `access_token`, config `apiBaseUrl`. */
export function platformConnectorFactory(extra: Omit<PlatformConnectorOptions, 'baseUrl' | 'token' | 'signal'> = {}): ConnectorFactory {
  return (context) =>
    createPlatformConnector({
      ...extra,
      baseUrl: context.config.apiBaseUrl ?? '',
      token: context.credentials.access_token ?? '',
      signal: context.signal,
    });
}
