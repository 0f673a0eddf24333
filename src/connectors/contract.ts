import type { IntegrationConfig } from '../integrations/settings.ts';

/**
 * The connector contract: what every platform implements so the sync engine
 * (src/sync/, which never names a platform) can pull, push and reconcile.
 * It reads like a stream: the connector declares its limits, yields pages and
 * returns cursors; the engine decides what to do with them.
 */

/** A product as the hub's catalog models it. Prices are exact decimal strings. */
export interface CanonicalProduct {
  sku: string;
  title: string;
  description: string | null;
  price: string;
  currency: string;
  stock: number;
  images: string[];
  attributes: Record<string, unknown>;
  status: 'active' | 'draft' | 'archived';
}

/** A product as the marketplace has it. */
export interface RemoteProduct extends CanonicalProduct {
  externalId: string;
  externalVariantId?: string | null;
  /** When the marketplace last changed it, when the platform says (last-write-wins needs it). */
  updatedAt: Date | null;
}

export interface RemoteOrderLine {
  externalLineId: string;
  sku: string | null;
  externalProductId: string | null;
  title: string;
  quantity: number;
  unitPrice: string;
}

export interface RemoteOrder {
  externalId: string;
  status: 'pending' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
  currency: string;
  subtotalAmount: string | null;
  shippingAmount: string | null;
  totalAmount: string;
  buyerName: string | null;
  buyerEmail: string | null;
  shippingCountry: string | null;
  placedAt: Date;
  updatedAt: Date | null;
  lines: RemoteOrderLine[];
}

/** An opaque position in a platform listing (offset, page token, last event id…), JSON-serialisable. */
export type PageCursor = string | number | { [key: string]: string | number | boolean | null };

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null when this was the last page. */
  next: PageCursor | null;
  /** Total items in the listing, when the platform tells (for progress). */
  total?: number;
}

export interface ListRequest {
  /** Resume from this page; null for the first page. */
  cursor: PageCursor | null;
  /** Only items changed since then (ignored unless the connector supports it). */
  since: Date | null;
}

/** One item's outcome in a batch write; a failed item does not fail the batch. */
export type WriteResult =
  | { sku: string; ok: true; externalId: string }
  | { sku: string; ok: false; externalId?: string; error: string };

export interface StockUpdate {
  externalId: string;
  sku: string;
  stock: number;
  price?: string;
}

export interface ConnectorLimits {
  /** Items per listing page the engine asks for. */
  productPageSize: number;
  orderPageSize: number;
  /** Most products one create/update call accepts. */
  writeBatchSize: number;
  /** Most items one stock/price call accepts (1 where the platform has no bulk endpoint). */
  stockBatchSize: number;
}

export interface ConnectorCapabilities {
  /** listProducts honours `since`. */
  incrementalProducts: boolean;
  /** listOrders honours `since`. */
  incrementalOrders: boolean;
  /** Stock is owned by the marketplace (e.g. fulfilled by it): pull it, never push it. */
  marketplaceOwnsStock: boolean;
}

export interface Connector {
  readonly limits: ConnectorLimits;
  readonly capabilities: ConnectorCapabilities;
  listProducts(request: ListRequest): Promise<Page<RemoteProduct>>;
  getProduct(externalId: string): Promise<RemoteProduct | null>;
  /** Marketplace products with these SKUs: the check-before-retry that keeps creates from duplicating. */
  findProductsBySku(skus: string[]): Promise<RemoteProduct[]>;
  createProducts(products: CanonicalProduct[]): Promise<WriteResult[]>;
  updateProducts(products: (CanonicalProduct & { externalId: string })[]): Promise<WriteResult[]>;
  updateStock(updates: StockUpdate[]): Promise<WriteResult[]>;
  listOrders(request: ListRequest): Promise<Page<RemoteOrder>>;
  getOrder(externalId: string): Promise<RemoteOrder | null>;
}

export interface ConnectorContext {
  /** Opened just in time from the sealed blob; never logged, never stored elsewhere. */
  credentials: Record<string, string>;
  config: IntegrationConfig;
  allowLocalUrls: boolean;
  /** Aborted when the job must stop (lease lost, shutdown). */
  signal: AbortSignal;
}

export type ConnectorFactory = (context: ConnectorContext) => Connector;
