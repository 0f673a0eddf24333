import { randomUUID } from 'node:crypto';
import type { RemoteOrder, RemoteOrderLine } from '../../connectors/contract.ts';
import type { TenantTransaction } from '../../db/tenant.ts';
import type { Order, OrderLine } from '../../generated/prisma/client.ts';
import type { OrderStatus } from '../../generated/prisma/enums.ts';
import { bulkInsert, bulkUpdate } from './bulk-sql.ts';
import { normalizePrice, sameValue } from './canonical.ts';

/**
 * Applies one page of marketplace orders in the caller's transaction, idempotent
 * by external id: a known order with nothing new costs no write, a changed one is
 * updated, a new one created with its lines. Each line linked to a local product
 * (through the mapping's external id, else the SKU) takes its quantity off that
 * product's stock exactly once: order_lines.stock_applied_at is set in the same
 * statement that claims it, so a re-pull finds nothing left to apply.
 */

export interface OrderScope {
  tx: TenantTransaction;
  userId: string;
  integrationId: string;
}

export interface OrderTally {
  counts: { created: number; updated: number; unchanged: number };
  figures: { linesStockApplied: number; linesUnlinked: number };
}

/** Orders that no longer take goods out of stock. */
const releasedStatuses: readonly OrderStatus[] = ['cancelled', 'refunded'];

const orderColumns = {
  status: 'order_status',
  currency: 'text',
  subtotal_amount: 'numeric',
  shipping_amount: 'numeric',
  total_amount: 'numeric',
  buyer_name: 'text',
  buyer_email: 'text',
  shipping_country: 'text',
  external_updated_at: 'timestamptz',
};

const lineColumns = { product_id: 'uuid', sku: 'text', title: 'text', quantity: 'int', unit_price: 'numeric' };

type StoredOrder = Order & { lines: OrderLine[] };

export async function applyOrderPage(scope: OrderScope, orders: RemoteOrder[]): Promise<OrderTally> {
  const { tx, userId, integrationId } = scope;
  const tally: OrderTally = { counts: { created: 0, updated: 0, unchanged: 0 }, figures: { linesStockApplied: 0, linesUnlinked: 0 } };
  const stored = await tx.order.findMany({
    where: { integrationId, externalId: { in: orders.map((order) => order.externalId) } },
    include: { lines: true },
  });
  const storedOf = new Map(stored.map((order) => [order.externalId, order]));
  const productOf = await lineProducts(scope, orders.flatMap((order) => order.lines));

  const newOrders: Record<string, unknown>[] = [];
  const newLines: Record<string, unknown>[] = [];
  const orderUpdates: ({ id: string } & Record<string, unknown>)[] = [];
  const lineUpdates: ({ id: string } & Record<string, unknown>)[] = [];
  const linesToApply: string[] = [];

  for (const remote of orders) {
    const existing = storedOf.get(remote.externalId);
    const orderId = existing?.id ?? randomUUID();
    const consumesStock = !releasedStatuses.includes(remote.status);
    let changed = false;
    if (!existing) {
      newOrders.push({ id: orderId, user_id: userId, integration_id: integrationId, external_id: remote.externalId, placed_at: remote.placedAt, ...orderColumnsOf(remote) });
    } else if (orderChanged(existing, remote)) {
      orderUpdates.push({ id: orderId, ...orderColumnsOf(remote) });
      changed = true;
    }
    for (const line of remote.lines) {
      const productId = productOf(line);
      if (!productId) tally.figures.linesUnlinked += 1;
      const storedLine = existing?.lines.find((candidate) => candidate.externalLineId === line.externalLineId);
      if (!storedLine) {
        const lineId = randomUUID();
        const values = lineValues(line, productId);
        newLines.push({ id: lineId, user_id: userId, order_id: orderId, external_line_id: line.externalLineId, product_id: productId, sku: values.sku, title: values.title, quantity: values.quantity, unit_price: values.unitPrice });
        if (productId && consumesStock) linesToApply.push(lineId);
        changed ||= Boolean(existing);
        continue;
      }
      const values = lineValues(line, productId ?? storedLine.productId);
      if (lineChanged(storedLine, values)) {
        lineUpdates.push({ id: storedLine.id, product_id: values.productId, sku: values.sku, title: values.title, quantity: values.quantity, unit_price: values.unitPrice });
        changed = true;
      }
      if (values.productId && consumesStock && !storedLine.stockAppliedAt) linesToApply.push(storedLine.id);
    }
    if (!existing) tally.counts.created += 1;
    else if (changed) tally.counts.updated += 1;
    else tally.counts.unchanged += 1;
  }

  await bulkInsert(tx, 'orders', { id: 'uuid', user_id: 'uuid', integration_id: 'uuid', external_id: 'text', placed_at: 'timestamptz', ...orderColumns }, newOrders);
  await bulkInsert(tx, 'order_lines', { id: 'uuid', user_id: 'uuid', order_id: 'uuid', external_line_id: 'text', ...lineColumns }, newLines);
  await bulkUpdate(tx, 'orders', orderColumns, orderUpdates);
  await bulkUpdate(tx, 'order_lines', lineColumns, lineUpdates, { touchUpdatedAt: false });
  tally.figures.linesStockApplied = await applyStock(tx, linesToApply);
  return tally;
}

/**
 * Claims the lines (stock_applied_at IS NULL → now) and takes what it claimed off
 * the products' stock, in two statements. Stock does not go below zero; the
 * change is stamped in field_updated_at like a local edit, so it reaches the
 * marketplaces with the next inventory push.
 */
async function applyStock(tx: TenantTransaction, lineIds: string[]): Promise<number> {
  if (lineIds.length === 0) return 0;
  const claimed = await tx.$queryRawUnsafe<{ product_id: string; quantity: number }[]>(
    `UPDATE order_lines SET stock_applied_at = now()
      WHERE id = ANY($1::uuid[]) AND stock_applied_at IS NULL AND product_id IS NOT NULL
      RETURNING product_id, quantity`,
    lineIds,
  );
  const taken = new Map<string, number>();
  for (const line of claimed) taken.set(line.product_id, (taken.get(line.product_id) ?? 0) + line.quantity);
  if (taken.size > 0) {
    await tx.$executeRawUnsafe(
      `UPDATE products AS p
          SET stock = GREATEST(p.stock - d.quantity, 0),
              field_updated_at = p.field_updated_at || jsonb_build_object('stock', $2::text),
              updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, quantity int)
        WHERE p.id = d.id`,
      JSON.stringify([...taken].map(([id, quantity]) => ({ id, quantity }))),
      new Date().toISOString(),
    );
  }
  return claimed.length;
}

/** The local product of a line: the mapped marketplace product, else the product with its SKU. */
async function lineProducts(scope: OrderScope, lines: RemoteOrderLine[]): Promise<(line: RemoteOrderLine) => string | null> {
  const externalIds = [...new Set(lines.map((line) => line.externalProductId).filter((id): id is string => !!id))];
  const skus = [...new Set(lines.map((line) => line.sku).filter((sku): sku is string => !!sku))];
  const [mappings, products] = await Promise.all([
    externalIds.length
      ? scope.tx.marketplaceProductMapping.findMany({
          where: { integrationId: scope.integrationId, externalId: { in: externalIds } },
          select: { externalId: true, productId: true },
        })
      : [],
    skus.length
      ? scope.tx.product.findMany({ where: { userId: scope.userId, sku: { in: skus }, deletedAt: null }, select: { id: true, sku: true } })
      : [],
  ]);
  const byExternalId = new Map(mappings.map((mapping) => [mapping.externalId, mapping.productId]));
  const bySku = new Map(products.map((product) => [product.sku, product.id]));
  return (line) =>
    (line.externalProductId ? byExternalId.get(line.externalProductId) : undefined) ?? (line.sku ? bySku.get(line.sku) : undefined) ?? null;
}

function orderColumnsOf(remote: RemoteOrder) {
  return {
    status: remote.status,
    currency: remote.currency,
    subtotal_amount: remote.subtotalAmount,
    shipping_amount: remote.shippingAmount,
    total_amount: remote.totalAmount,
    buyer_name: remote.buyerName,
    buyer_email: remote.buyerEmail,
    shipping_country: remote.shippingCountry,
    external_updated_at: remote.updatedAt,
  };
}

function orderChanged(stored: StoredOrder, remote: RemoteOrder): boolean {
  if (remote.updatedAt && stored.externalUpdatedAt?.getTime() === remote.updatedAt.getTime()) return false;
  return (
    stored.status !== remote.status ||
    stored.currency !== remote.currency ||
    !sameAmount(stored.subtotalAmount, remote.subtotalAmount) ||
    !sameAmount(stored.shippingAmount, remote.shippingAmount) ||
    !sameAmount(stored.totalAmount, remote.totalAmount) ||
    stored.buyerName !== remote.buyerName ||
    stored.buyerEmail !== remote.buyerEmail ||
    stored.shippingCountry !== remote.shippingCountry ||
    stored.externalUpdatedAt?.getTime() !== remote.updatedAt?.getTime()
  );
}

function lineValues(line: RemoteOrderLine, productId: string | null) {
  return { productId, sku: line.sku, title: line.title, quantity: line.quantity, unitPrice: line.unitPrice };
}

function lineChanged(stored: OrderLine, values: ReturnType<typeof lineValues>): boolean {
  return (
    stored.productId !== values.productId ||
    stored.sku !== values.sku ||
    stored.title !== values.title ||
    stored.quantity !== values.quantity ||
    !sameAmount(stored.unitPrice, values.unitPrice)
  );
}

function sameAmount(stored: { toString(): string } | null, remote: string | null): boolean {
  if (stored === null || remote === null) return stored === remote;
  return sameValue(normalizePrice(stored.toString()), normalizePrice(remote));
}
