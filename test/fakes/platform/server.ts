import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PlatformStore, type PlatformProduct, type ProductFields } from './store.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * A generic marketplace over HTTP (node:http on 127.0.0.1, port 0), shaped like
 * the REST APIs the real connectors talk to:
 *
 *   GET  /v1/products?limit&page_token&updated_since   cursor pagination, `limit` ≤ maxPageSize
 *   GET  /v1/products?sku=A&sku=B                       lookup by SKU (≤ maxPageSize SKUs)
 *   GET  /v1/products/:id
 *   POST /v1/products/batch          {products: [...]}             create, ≤ maxBatchSize
 *   POST /v1/products/batch-update   {products: [{id, ...}]}       update, ≤ maxBatchSize
 *   POST /v1/inventory/batch         {items: [{id, stock, price?}]} ≤ maxStockBatchSize
 *   GET  /v1/orders?limit&offset&updated_since           offset pagination
 *   GET  /v1/orders/:id
 *
 * Bearer auth (401), a token-bucket rate limit (429 + Retry-After), errors as
 * {errors: [{code, message}]}; batch answers carry one result per item. Knobs
 * inject 5xx answers, per-item rejections, and the lost response (the write is
 * applied, then the connection dropped).
 */

export interface PlatformFakeOptions {
  token?: string;
  maxPageSize?: number;
  maxBatchSize?: number;
  maxStockBatchSize?: number;
  /** Requests allowed at once and refilled per second; none = no limit. */
  rateLimit?: { capacity: number; perSecond: number };
}

export interface PlatformKnobs {
  /** Answer the next N requests with this 5xx status (default 503). */
  serverErrors?: { count: number; status?: number; route?: string };
  /** Apply the next N writes, then drop the connection without answering. */
  dropAfterWrite?: number;
  /** Per-item rejections by SKU: the message the platform answers for that item. */
  rejectSkus?: Map<string, string>;
}

export interface PlatformFake {
  url: string;
  token: string;
  store: PlatformStore;
  knobs: PlatformKnobs;
  options: Required<Omit<PlatformFakeOptions, 'rateLimit'>> & Pick<PlatformFakeOptions, 'rateLimit'>;
  /** Requests per route, e.g. "GET /v1/products", "POST /v1/products/batch". */
  calls: Map<string, number>;
  /** Every request received (route and query), in order. */
  log: { route: string; query: URLSearchParams; status: number }[];
  callsTo(route: string): number;
  /** Total requests, answered 429 included. */
  totalCalls(): number;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Drop the connection instead of answering. */
  drop?: boolean;
}

const productStatuses = new Set(['active', 'draft', 'archived']);

export async function startPlatformFake(options: PlatformFakeOptions = {}): Promise<PlatformFake> {
  const settings = {
    token: options.token ?? 'platform-test-token',
    maxPageSize: options.maxPageSize ?? 100,
    maxBatchSize: options.maxBatchSize ?? 50,
    maxStockBatchSize: options.maxStockBatchSize ?? 200,
    rateLimit: options.rateLimit,
  };
  const store = new PlatformStore();
  const knobs: PlatformKnobs = {};
  const calls = new Map<string, number>();
  const log: PlatformFake['log'] = [];
  const bucket = settings.rateLimit ? new TokenBucket(settings.rateLimit.capacity, settings.rateLimit.perSecond) : null;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://platform');
      const route = `${req.method} ${url.pathname.replace(/^\/v1\/(products|orders)\/(?!batch)[^/]+$/, '/v1/$1/:id')}`;
      calls.set(route, (calls.get(route) ?? 0) + 1);
      const answer = respond(req, url, Buffer.concat(chunks).toString('utf8'));
      log.push({ route, query: url.searchParams, status: answer.status });
      send(res, answer);
    });
  });

  function respond(req: IncomingMessage, url: URL, body: string): Answer {
    if (req.headers.authorization !== `Bearer ${settings.token}`) return error(401, 'unauthorized', 'Missing or invalid access token');
    if (bucket && !bucket.tryTake()) {
      return { ...error(429, 'rate_limited', 'Too many requests'), headers: { 'retry-after': String(Math.max(1, Math.ceil(bucket.waitMs() / 1000))) } };
    }
    const injected = knobs.serverErrors;
    if (injected && injected.count > 0 && (!injected.route || url.pathname === injected.route)) {
      injected.count -= 1;
      return error(injected.status ?? 503, 'unavailable', 'Service temporarily unavailable');
    }
    const answer = route(req.method ?? 'GET', url, body);
    if (req.method === 'POST' && answer.status === 200 && knobs.dropAfterWrite && knobs.dropAfterWrite > 0) {
      knobs.dropAfterWrite -= 1;
      return { ...answer, drop: true };
    }
    return answer;
  }

  function route(method: string, url: URL, body: string): Answer {
    const path = url.pathname;
    if (method === 'GET' && path === '/v1/products') return listProducts(url.searchParams);
    if (method === 'POST' && path === '/v1/products/batch') return withJson(body, createProducts);
    if (method === 'POST' && path === '/v1/products/batch-update') return withJson(body, updateProducts);
    if (method === 'POST' && path === '/v1/inventory/batch') return withJson(body, updateStock);
    if (method === 'GET' && path === '/v1/orders') return listOrders(url.searchParams);
    const one = /^\/v1\/(products|orders)\/([^/]+)$/.exec(path);
    if (method === 'GET' && one) {
      const found = one[1] === 'products' ? store.product(one[2]!) : store.orderById(one[2]!);
      return found ? { status: 200, body: found } : error(404, 'not_found', `No ${one[1]!.slice(0, -1)} ${one[2]}`);
    }
    return error(404, 'not_found', `No route ${method} ${path}`);
  }

  function listProducts(query: URLSearchParams): Answer {
    const skus = query.getAll('sku');
    if (skus.length > 0) {
      if (skus.length > settings.maxPageSize) return error(400, 'too_many_skus', `At most ${settings.maxPageSize} SKUs per lookup`);
      return { status: 200, body: { products: store.productsBySku(skus), next_page_token: null } };
    }
    const limit = Number(query.get('limit') ?? settings.maxPageSize);
    if (!Number.isInteger(limit) || limit < 1 || limit > settings.maxPageSize) {
      return error(400, 'invalid_limit', `limit must be between 1 and ${settings.maxPageSize}`);
    }
    const token = query.get('page_token');
    const after = token ? Buffer.from(token, 'base64url').toString('utf8') : null;
    const since = parseSince(query.get('updated_since'));
    if (since === undefined) return error(400, 'invalid_updated_since', 'updated_since must be an ISO 8601 time');
    const page = store.listProducts(after, limit, since);
    const last = page.items[page.items.length - 1];
    const next = page.more && last ? Buffer.from(last.id).toString('base64url') : null;
    return { status: 200, body: { products: page.items, next_page_token: next, total: page.total } };
  }

  function listOrders(query: URLSearchParams): Answer {
    const limit = Number(query.get('limit') ?? settings.maxPageSize);
    const offset = Number(query.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > settings.maxPageSize) {
      return error(400, 'invalid_limit', `limit must be between 1 and ${settings.maxPageSize}`);
    }
    const since = parseSince(query.get('updated_since'));
    if (since === undefined || !Number.isInteger(offset) || offset < 0) return error(400, 'invalid_query', 'Bad offset or updated_since');
    const page = store.listOrders(offset, limit, since);
    return { status: 200, body: { orders: page.items, total: page.total } };
  }

  function createProducts(request: { products?: unknown }): Answer {
    const items = batchOf(request.products, settings.maxBatchSize);
    if (!Array.isArray(items)) return items;
    const results = items.map((item) => {
      const fields = productFields(item);
      if (typeof fields === 'string') return itemError(skuOf(item), 'invalid_product', fields);
      const rejected = knobs.rejectSkus?.get(fields.sku);
      if (rejected) return itemError(fields.sku, 'rejected', rejected);
      const product = store.createProduct(fields);
      store.writes.push({ kind: 'create', id: product.id, sku: product.sku });
      return { sku: product.sku, ok: true, id: product.id };
    });
    return { status: 200, body: { results } };
  }

  function updateProducts(request: { products?: unknown }): Answer {
    const items = batchOf(request.products, settings.maxBatchSize);
    if (!Array.isArray(items)) return items;
    const results = items.map((item) => {
      const id = (item as { id?: unknown }).id;
      const fields = productFields(item);
      if (typeof fields === 'string') return itemError(skuOf(item), 'invalid_product', fields);
      const rejected = knobs.rejectSkus?.get(fields.sku);
      if (rejected) return itemError(fields.sku, 'rejected', rejected);
      const product = typeof id === 'string' ? store.updateProduct(id, fields) : undefined;
      if (!product) return itemError(fields.sku, 'not_found', `No product ${String(id)}`);
      store.writes.push({ kind: 'update', id: product.id, sku: product.sku });
      return { sku: product.sku, ok: true, id: product.id };
    });
    return { status: 200, body: { results } };
  }

  function updateStock(request: { items?: unknown }): Answer {
    const items = batchOf(request.items, settings.maxStockBatchSize);
    if (!Array.isArray(items)) return items;
    const results = items.map((raw) => {
      const item = raw as { id?: unknown; stock?: unknown; price?: unknown };
      const current = typeof item.id === 'string' ? store.product(item.id) : undefined;
      if (!current) return { id: item.id, ok: false, error: { code: 'not_found', message: `No product ${String(item.id)}` } };
      if (!Number.isInteger(item.stock) || (item.stock as number) < 0) {
        return { id: current.id, ok: false, error: { code: 'invalid_stock', message: 'stock must be a whole number ≥ 0' } };
      }
      const rejected = knobs.rejectSkus?.get(current.sku);
      if (rejected) return { id: current.id, ok: false, error: { code: 'rejected', message: rejected } };
      const price = typeof item.price === 'string' ? { price: item.price } : {};
      store.updateProduct(current.id, { stock: item.stock as number, ...price });
      store.writes.push({ kind: 'stock', id: current.id, sku: current.sku });
      return { id: current.id, ok: true };
    });
    return { status: 200, body: { results } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token: settings.token,
    store,
    knobs,
    options: settings,
    calls,
    log,
    callsTo: (route) => calls.get(route) ?? 0,
    totalCalls: () => [...calls.values()].reduce((sum, count) => sum + count, 0),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, answer: Answer): void {
  if (answer.drop) {
    res.socket?.destroy();
    return;
  }
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(body);
}

function error(status: number, code: string, message: string): Answer {
  return { status, body: { errors: [{ code, message }] } };
}

function itemError(sku: string, code: string, message: string) {
  return { sku, ok: false, error: { code, message } };
}

function withJson<T>(body: string, handle: (request: T) => Answer): Answer {
  try {
    return handle(JSON.parse(body) as T);
  } catch {
    return error(400, 'invalid_json', 'The body is not JSON');
  }
}

function batchOf(items: unknown, max: number): unknown[] | Answer {
  if (!Array.isArray(items) || items.length === 0) return error(400, 'invalid_batch', 'Expected a non-empty array');
  if (items.length > max) return error(400, 'batch_too_large', `At most ${max} items per batch, got ${items.length}`);
  return items;
}

function parseSince(value: string | null): Date | null | undefined {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

function skuOf(item: unknown): string {
  const sku = (item as { sku?: unknown } | null)?.sku;
  return typeof sku === 'string' ? sku : '';
}

/** The product fields of a write, or what is wrong with them. */
function productFields(item: unknown): ProductFields | string {
  const raw = (item ?? {}) as Partial<PlatformProduct>;
  if (typeof raw.sku !== 'string' || raw.sku === '') return 'sku is required';
  if (typeof raw.title !== 'string' || raw.title.trim() === '') return 'title is required';
  if (typeof raw.price !== 'string' || !/^\d+(\.\d+)?$/.test(raw.price)) return 'price must be a decimal string';
  if (!Number.isInteger(raw.stock) || (raw.stock as number) < 0) return 'stock must be a whole number ≥ 0';
  if (typeof raw.status !== 'string' || !productStatuses.has(raw.status)) return 'status must be active, draft or archived';
  return {
    sku: raw.sku,
    title: raw.title,
    description: typeof raw.description === 'string' ? raw.description : null,
    price: raw.price,
    currency: typeof raw.currency === 'string' ? raw.currency : 'EUR',
    stock: raw.stock as number,
    images: Array.isArray(raw.images) ? raw.images.map(String) : [],
    attributes: raw.attributes && typeof raw.attributes === 'object' ? raw.attributes : {},
    status: raw.status as ProductFields['status'],
  };
}
