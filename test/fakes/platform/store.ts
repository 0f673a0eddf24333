/**
 * The fake platform's data: a catalog and an order book, in memory. Listing
 * order is creation order (ids are sequential), which keeps page tokens stable
 * while items change. Tests seed and edit it directly; the HTTP API reads and
 * writes it like a marketplace would.
 */

export type PlatformProductStatus = 'active' | 'draft' | 'archived';

export interface PlatformProduct {
  id: string;
  sku: string;
  title: string;
  description: string | null;
  price: string;
  currency: string;
  stock: number;
  images: string[];
  attributes: Record<string, unknown>;
  status: PlatformProductStatus;
  updated_at: string;
}

export type ProductFields = Omit<PlatformProduct, 'id' | 'updated_at'>;

export interface PlatformOrderLine {
  id: string;
  product_id: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price: string;
}

export interface PlatformOrder {
  id: string;
  status: 'pending' | 'paid' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
  currency: string;
  subtotal: string | null;
  shipping: string | null;
  total: string;
  buyer: { name: string | null; email: string | null } | null;
  shipping_country: string | null;
  placed_at: string;
  updated_at: string;
  lines: PlatformOrderLine[];
}

/** One write the platform applied, to assert exactly-once effects. */
export interface AppliedWrite {
  kind: 'create' | 'update' | 'stock';
  id: string;
  sku: string;
}

export class PlatformStore {
  private readonly products = new Map<string, PlatformProduct>();
  /** Ids in creation order; deleted ones stay here and are skipped. */
  private readonly creationOrder: string[] = [];
  private readonly orders = new Map<string, PlatformOrder>();
  private sequence = 0;
  readonly writes: AppliedWrite[] = [];
  /** The platform's clock; tests may move it. */
  clock: () => Date = () => new Date();

  // ─── Catalog ───────────────────────────────────────────────────────────────

  createProduct(fields: ProductFields, updatedAt = this.clock()): PlatformProduct {
    const id = `p${String(++this.sequence).padStart(9, '0')}`;
    const product = { ...fields, id, updated_at: updatedAt.toISOString() };
    this.products.set(id, product);
    this.creationOrder.push(id);
    return product;
  }

  updateProduct(id: string, changes: Partial<ProductFields>, updatedAt = this.clock()): PlatformProduct | undefined {
    const current = this.products.get(id);
    if (!current) return undefined;
    const product = { ...current, ...changes, id, updated_at: updatedAt.toISOString() };
    this.products.set(id, product);
    return product;
  }

  deleteProduct(id: string): void {
    this.products.delete(id);
  }

  product(id: string): PlatformProduct | undefined {
    return this.products.get(id);
  }

  productsBySku(skus: string[]): PlatformProduct[] {
    const wanted = new Set(skus);
    return this.allProducts().filter((product) => wanted.has(product.sku));
  }

  allProducts(): PlatformProduct[] {
    return this.creationOrder.map((id) => this.products.get(id)).filter((product): product is PlatformProduct => !!product);
  }

  get productCount(): number {
    return this.products.size;
  }

  /**
   * A page of products after the one with id `after`, optionally only those
   * changed at or after `since`; `more` tells whether another match follows.
   */
  listProducts(after: string | null, limit: number, since: Date | null): { items: PlatformProduct[]; more: boolean; total: number } {
    const matches = (product: PlatformProduct) => !since || Date.parse(product.updated_at) >= since.getTime();
    let index = after === null ? 0 : this.positionAfter(after);
    const items: PlatformProduct[] = [];
    let more = false;
    for (; index < this.creationOrder.length; index++) {
      const product = this.products.get(this.creationOrder[index]!);
      if (!product || !matches(product)) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(product);
    }
    const total = since ? this.allProducts().filter(matches).length : this.products.size;
    return { items, more, total };
  }

  /** Index of the first id after `id` in creation order (ids sort as they were created). */
  private positionAfter(id: string): number {
    let low = 0;
    let high = this.creationOrder.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.creationOrder[middle]! <= id) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  // ─── Orders ────────────────────────────────────────────────────────────────

  createOrder(order: Omit<PlatformOrder, 'id' | 'updated_at'> & { id?: string }, updatedAt = this.clock()): PlatformOrder {
    const id = order.id ?? `o${String(++this.sequence).padStart(9, '0')}`;
    const stored = { ...order, id, updated_at: updatedAt.toISOString() };
    this.orders.set(id, stored);
    return stored;
  }

  updateOrder(id: string, changes: Partial<Omit<PlatformOrder, 'id'>>, updatedAt = this.clock()): PlatformOrder | undefined {
    const current = this.orders.get(id);
    if (!current) return undefined;
    const order = { ...current, ...changes, id, updated_at: updatedAt.toISOString() };
    this.orders.set(id, order);
    return order;
  }

  orderById(id: string): PlatformOrder | undefined {
    return this.orders.get(id);
  }

  /** Orders changed at or after `since`, oldest change first, `limit` from `offset`. */
  listOrders(offset: number, limit: number, since: Date | null): { items: PlatformOrder[]; total: number } {
    const matching = [...this.orders.values()]
      .filter((order) => !since || Date.parse(order.updated_at) >= since.getTime())
      .sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id.localeCompare(b.id));
    return { items: matching.slice(offset, offset + limit), total: matching.length };
  }
}
