import type { CanonicalProduct } from '../../connectors/contract.ts';
import { syncedProductFields, type IntegrationConfig, type SyncedProductField } from '../../integrations/settings.ts';
import { sameValue, type BaseValues } from './canonical.ts';

/**
 * Three-way merge of one product, field by field, against the values both sides
 * held at the last sync (mapping.base_values):
 * - both sides equal → agreed;
 * - only one side moved away from the base → that side wins;
 * - both moved (or there is no base) → the field's conflict rule (local /
 *   marketplace / newest), else the policy: last-write-wins by timestamps
 *   (products.field_updated_at[field] vs the remote's updatedAt); with no rule and
 *   no usable timestamps, or the manual policy, the field becomes a conflict.
 *
 * The returned base is what the marketplace holds: a field the local side won is
 * not on the marketplace until the push, so its base stays the remote value (a
 * failed push can then never turn the local edit into "only the remote changed").
 * A conflicted field keeps its old base, so it stays a conflict until resolved.
 */

export interface MergePolicy {
  /** `pull`: the marketplace wins every field it changed (pull-only integrations). */
  mode: 'bidirectional' | 'pull';
  conflictPolicy: IntegrationConfig['conflictPolicy'];
  conflictRules: IntegrationConfig['conflictRules'];
  /** Stock is the marketplace's: its value always wins, even over a local edit. */
  marketplaceOwnsStock: boolean;
}

export interface MergeInput {
  local: CanonicalProduct;
  remote: CanonicalProduct;
  base: BaseValues | null;
  /** products.field_updated_at: ISO time each field last changed locally. */
  localChangedAt: Partial<Record<string, unknown>>;
  remoteChangedAt: Date | null;
  /** Fields to merge; the others keep the local value (inventory merges stock only). */
  fields?: readonly SyncedProductField[];
}

export interface FieldConflict {
  field: SyncedProductField;
  local: unknown;
  remote: unknown;
  base: unknown;
}

export interface MergeResult {
  /** The local product's values after the merge. */
  merged: CanonicalProduct;
  /** The next mapping.base_values. */
  base: BaseValues;
  /** Fields whose local value the merge changed. */
  localChanged: SyncedProductField[];
  conflicts: FieldConflict[];
}

type Winner = 'local' | 'remote' | 'conflict';

export function mergeProduct(input: MergeInput, policy: MergePolicy): MergeResult {
  const { local, remote } = input;
  const oldBase = input.base ?? {};
  const merged: CanonicalProduct = { ...local };
  const base: BaseValues = { ...oldBase, sku: remote.sku, currency: remote.currency };
  const localChanged: SyncedProductField[] = [];
  const conflicts: FieldConflict[] = [];

  for (const field of input.fields ?? syncedProductFields) {
    const winner = decide(field, input, oldBase, policy);
    const setBase = (value: unknown) => Object.assign(base, { [field]: value });
    if (winner === 'remote') {
      Object.assign(merged, { [field]: remote[field] });
      if (!sameValue(local[field], remote[field])) localChanged.push(field);
      setBase(remote[field]);
    } else if (winner === 'local') {
      setBase(remote[field]);
    } else {
      conflicts.push({ field, local: local[field], remote: remote[field], base: field in oldBase ? oldBase[field] : null });
    }
  }
  return { merged, base, localChanged, conflicts };
}

function decide(field: SyncedProductField, input: MergeInput, base: BaseValues, policy: MergePolicy): Winner {
  const localValue = input.local[field];
  const remoteValue = input.remote[field];
  if (sameValue(localValue, remoteValue)) return 'remote';
  if (field === 'stock' && policy.marketplaceOwnsStock) return 'remote';
  const hasBase = field in base;
  if (hasBase && sameValue(localValue, base[field])) return 'remote';
  if (hasBase && sameValue(remoteValue, base[field])) return 'local';
  // Both sides changed, or nothing says what they agreed on.
  if (policy.mode === 'pull') return 'remote';
  const rule = policy.conflictRules[field];
  if (rule === 'local') return 'local';
  if (rule === 'marketplace') return 'remote';
  if (rule === 'newest' || policy.conflictPolicy === 'last_write_wins') {
    return newest(input.localChangedAt[field], input.remoteChangedAt);
  }
  return 'conflict';
}

/** The side that changed last; a conflict when either time is unknown or they are equal. */
function newest(localChangedAt: unknown, remoteChangedAt: Date | null): Winner {
  const localTime = typeof localChangedAt === 'string' ? Date.parse(localChangedAt) : Number.NaN;
  const remoteTime = remoteChangedAt?.getTime() ?? Number.NaN;
  if (Number.isNaN(localTime) || Number.isNaN(remoteTime) || localTime === remoteTime) return 'conflict';
  return localTime > remoteTime ? 'local' : 'remote';
}
