import { describe, expect, it } from 'vitest';
import type { CanonicalProduct } from '../../src/connectors/contract.ts';
import { normalizePrice, stableStringify } from '../../src/sync/run/canonical.ts';
import { catalogHash, contentHash } from '../../src/sync/run/content-hash.ts';
import { mergeProduct, type MergePolicy } from '../../src/sync/run/merge.ts';
import { planPhases } from '../../src/sync/run/phases.ts';

const base: CanonicalProduct = {
  sku: 'A-1',
  title: 'Lamp',
  description: null,
  price: '10',
  currency: 'EUR',
  stock: 5,
  images: ['https://img.example/1.jpg'],
  attributes: { colour: 'red', size: 'M' },
  status: 'active',
};

const lww: MergePolicy = { mode: 'bidirectional', conflictPolicy: 'last_write_wins', conflictRules: {}, marketplaceOwnsStock: false };
const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));

function merge(local: Partial<CanonicalProduct>, remote: Partial<CanonicalProduct>, options: Partial<Parameters<typeof mergeProduct>[0]> = {}, policy = lww) {
  return mergeProduct({ local: { ...base, ...local }, remote: { ...base, ...remote }, base, localChangedAt: {}, remoteChangedAt: null, ...options }, policy);
}

describe('three-way merge', () => {
  it('takes the side that changed, whichever it is', () => {
    const result = merge({ title: 'Local lamp' }, { price: '12' });
    expect(result.merged).toMatchObject({ title: 'Local lamp', price: '12' });
    expect(result.localChanged).toEqual(['price']);
    expect(result.conflicts).toEqual([]);
    // The base is what the marketplace holds: the local title is not there until pushed.
    expect(result.base).toMatchObject({ title: 'Lamp', price: '12' });
  });

  it('both sides changed to the same value: agreed', () => {
    const result = merge({ title: 'Same' }, { title: 'Same' });
    expect(result).toMatchObject({ localChanged: [], conflicts: [], base: { title: 'Same' } });
  });

  it('both changed: a field rule decides (local / marketplace / newest)', () => {
    const rules = (conflictRules: MergePolicy['conflictRules']) => ({ ...lww, conflictPolicy: 'manual' as const, conflictRules });
    expect(merge({ stock: 1 }, { stock: 2 }, {}, rules({ stock: 'local' })).merged.stock).toBe(1);
    expect(merge({ stock: 1 }, { stock: 2 }, {}, rules({ stock: 'marketplace' })).merged.stock).toBe(2);
    const newest = merge({ stock: 1 }, { stock: 2 }, { localChangedAt: { stock: t(5).toISOString() }, remoteChangedAt: t(3) }, rules({ stock: 'newest' }));
    expect(newest.merged.stock).toBe(1);
    expect(merge({ stock: 1 }, { stock: 2 }, {}, rules({ stock: 'newest' })).conflicts).toHaveLength(1);
  });

  it('both changed, no rule: last write wins by timestamps; without them, a conflict', () => {
    expect(merge({ title: 'L' }, { title: 'R' }, { localChangedAt: { title: t(1).toISOString() }, remoteChangedAt: t(2) }).merged.title).toBe('R');
    expect(merge({ title: 'L' }, { title: 'R' }, { localChangedAt: { title: t(3).toISOString() }, remoteChangedAt: t(2) }).merged.title).toBe('L');
    const tie = merge({ title: 'L' }, { title: 'R' }, { localChangedAt: { title: t(2).toISOString() }, remoteChangedAt: t(2) });
    expect(tie.conflicts).toHaveLength(1);
    const unknown = merge({ title: 'L' }, { title: 'R' }, { localChangedAt: { title: 'not a time' }, remoteChangedAt: t(2) });
    expect(unknown.conflicts).toEqual([{ field: 'title', local: 'L', remote: 'R', base: 'Lamp' }]);
    // A conflicted field keeps the local value and its old base.
    expect(unknown.merged.title).toBe('L');
    expect(unknown.base.title).toBe('Lamp');
  });

  it('without a base (a product linked by SKU) every difference is a both-sides change', () => {
    const result = mergeProduct(
      { local: { ...base, title: 'L' }, remote: { ...base, title: 'R' }, base: null, localChangedAt: {}, remoteChangedAt: null },
      lww,
    );
    expect(result.conflicts.map((conflict) => [conflict.field, conflict.base])).toEqual([['title', null]]);
    expect(result.base).not.toHaveProperty('title');
    expect(result.base).toMatchObject({ price: '10', stock: 5 });
  });

  it('pull mode lets the marketplace win every field it changed, keeping local-only edits', () => {
    const pull = { ...lww, mode: 'pull' as const };
    expect(merge({ title: 'L', price: '11' }, { title: 'R' }, {}, pull).merged).toMatchObject({ title: 'R', price: '11' });
  });

  it('stock the marketplace owns always comes from the marketplace', () => {
    const owned = { ...lww, marketplaceOwnsStock: true };
    expect(merge({ stock: 9 }, {}, {}, owned).merged.stock).toBe(5);
  });

  it('compares attributes regardless of key order', () => {
    expect(merge({ attributes: { size: 'M', colour: 'red' } }, {}).localChanged).toEqual([]);
  });
});

describe('content hashes and canonical values', () => {
  it('normalises prices to the 4 places the catalog keeps', () => {
    expect(['19.90', '19.9000', '020.5', '20', '20.00', '1.23456'].map((price) => normalizePrice(price))).toEqual(['19.9', '19.9', '20.5', '20', '20', '1.2346']);
  });

  it('the catalog hash ignores stock; the content hash does not; key order never matters', () => {
    const moved = { ...base, stock: 6 };
    expect(catalogHash(moved)).toBe(catalogHash(base));
    expect(contentHash(moved)).not.toBe(contentHash(base));
    expect(contentHash({ ...base, price: '10.00', attributes: { size: 'M', colour: 'red' } })).toBe(contentHash(base));
    expect(stableStringify({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('phases', () => {
  const capabilities = { incrementalProducts: true, incrementalOrders: true, marketplaceOwnsStock: false };
  it('follow the job type and direction', () => {
    expect(planPhases('products', 'bidirectional', capabilities)).toEqual(['products-pull', 'products-push']);
    expect(planPhases('products', 'push', capabilities)).toEqual(['products-push']);
    expect(planPhases('orders', 'push', capabilities)).toEqual(['orders-pull']);
    expect(planPhases('inventory', 'bidirectional', capabilities)).toEqual(['inventory-push']);
    expect(planPhases('inventory', 'bidirectional', { ...capabilities, marketplaceOwnsStock: true })).toEqual(['inventory-pull']);
    expect(planPhases('full', 'bidirectional', capabilities)).toEqual(['products-pull', 'orders-pull', 'products-push', 'inventory-push']);
    expect(planPhases('full', 'pull', capabilities)).toEqual(['products-pull', 'orders-pull']);
  });
});
