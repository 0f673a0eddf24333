import type { ConnectorCapabilities } from '../../connectors/contract.ts';
import type { SyncDirection, SyncJobType } from '../../generated/prisma/enums.ts';
import type { PhaseName } from './run-checkpoint.ts';

/**
 * The phases a job runs, in order. Orders only ever flow in, so every job that
 * covers orders pulls them. In a full job orders come before the pushes, so the
 * stock their lines took off reaches the marketplace in the same job. Stock the
 * marketplace owns is pulled (with the products, or alone), never pushed.
 */
export function planPhases(type: SyncJobType, direction: SyncDirection, capabilities: ConnectorCapabilities): PhaseName[] {
  const pulls = direction !== 'push';
  const pushes = direction !== 'pull';
  switch (type) {
    case 'products':
      return [...(pulls ? ['products-pull' as const] : []), ...(pushes ? ['products-push' as const] : [])];
    case 'orders':
      return ['orders-pull'];
    case 'inventory':
      if (direction === 'bidirectional') return [capabilities.marketplaceOwnsStock ? 'inventory-pull' : 'inventory-push'];
      return [pulls ? 'inventory-pull' : 'inventory-push'];
    case 'full':
      return [
        ...(pulls ? ['products-pull' as const] : []),
        'orders-pull',
        ...(pushes ? ['products-push' as const, 'inventory-push' as const] : []),
      ];
  }
}
