import { AppError, notFound } from '../errors.ts';
import { runAsUser } from '../events/tenant-work.ts';
import type { MarketplaceIntegration } from '../generated/prisma/client.ts';
import type { SyncDirection } from '../generated/prisma/enums.ts';
import type { Hub, Viewer } from '../hub.ts';
import { parseInput } from '../schema/validation.ts';
import { displayNameSchema, integrationConfigSchema, syncFrequencySchema } from './settings.ts';

export interface IntegrationSettingsInput {
  displayName?: string | null;
  syncDirection?: SyncDirection | null;
  autoSyncEnabled?: boolean | null;
  syncFrequencyMinutes?: number | null;
  /** Merged into the current config; keys set to null are reset to their default. */
  config?: Record<string, unknown> | null;
}

export async function updateIntegration(
  hub: Hub,
  viewer: Viewer,
  integrationId: string,
  settings: IntegrationSettingsInput,
  correlationId: string,
): Promise<MarketplaceIntegration> {
  const displayName = settings.displayName == null ? undefined : parseInput(displayNameSchema, settings.displayName, ['settings', 'name']);
  const frequency =
    settings.syncFrequencyMinutes == null
      ? undefined
      : parseInput(syncFrequencySchema, settings.syncFrequencyMinutes, ['settings', 'syncFrequencyMinutes']);

  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const current = await tx.marketplaceIntegration.findUnique({ where: { id: integrationId } });
    if (!current) throw notFound('Integration');
    const mergedConfig = Object.fromEntries(
      Object.entries({ ...(current.config as object), ...(settings.config ?? {}) }).filter(([, v]) => v !== null),
    );
    const config = parseInput(integrationConfigSchema, mergedConfig, ['settings', 'config']);
    if (settings.config?.apiBaseUrl !== undefined && settings.config.apiBaseUrl !== (current.config as { apiBaseUrl?: string }).apiBaseUrl) {
      throw new AppError('BAD_USER_INPUT', 'The API base URL is checked with the credentials: reconnect the marketplace to change it.', {
        fieldErrors: [{ path: ['settings', 'config', 'apiBaseUrl'], message: 'change it with connectMarketplace' }],
      });
    }
    const autoSyncEnabled = settings.autoSyncEnabled ?? current.autoSyncEnabled;
    const syncFrequencyMinutes = frequency ?? current.syncFrequencyMinutes;
    const active = current.status !== 'disconnected';
    const integration = await tx.marketplaceIntegration.update({
      where: { id: integrationId },
      data: {
        displayName: displayName ?? current.displayName,
        syncDirection: settings.syncDirection ?? current.syncDirection,
        autoSyncEnabled,
        syncFrequencyMinutes,
        config,
        nextSyncAt: active && autoSyncEnabled ? nextSyncAfter(current.lastSyncAt, syncFrequencyMinutes) : null,
      },
    });
    const changed = changedSettings(current, integration);
    await outbox.log({
      integrationId,
      type: 'integration_updated',
      source: 'api',
      message: changed.length ? `Settings changed: ${changed.join(', ')}` : 'Settings saved without changes',
      data: { changed },
      correlationId,
    });
    outbox.publish((p) => p.integrationUpdated(integration));
    return integration;
  });
}

/**
 * Deactivates an integration and keeps its history (jobs, mappings, orders, logs).
 * Its schedule stops, queued jobs are cancelled, a running job is asked to stop,
 * its webhooks are marked inactive and its credentials are erased.
 */
export async function disconnectMarketplace(
  hub: Hub,
  viewer: Viewer,
  integrationId: string,
  correlationId: string,
): Promise<MarketplaceIntegration> {
  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const current = await tx.marketplaceIntegration.findUnique({ where: { id: integrationId } });
    if (!current) throw notFound('Integration');
    if (current.status === 'disconnected') {
      throw new AppError('CONFLICT', 'This integration is already disconnected.');
    }
    const now = new Date();
    const cancelled = await tx.marketplaceSyncJob.updateManyAndReturn({
      where: { integrationId, status: 'queued' },
      data: { status: 'cancelled', completedAt: now, error: { message: 'Integration disconnected' } },
    });
    const stopping = await tx.marketplaceSyncJob.updateManyAndReturn({
      where: { integrationId, status: 'running', cancelRequestedAt: null },
      data: { cancelRequestedAt: now },
    });
    await tx.marketplaceWebhook.updateMany({ where: { integrationId, active: true }, data: { active: false } });
    const integration = await tx.marketplaceIntegration.update({
      where: { id: integrationId },
      data: {
        status: 'disconnected',
        disconnectedAt: now,
        nextSyncAt: null,
        credentialsSealed: null,
        credentialsKeyId: null,
        credentialFields: [],
        credentialHint: null,
      },
    });
    await outbox.log({
      integrationId,
      type: 'integration_disconnected',
      source: 'api',
      message: `${integration.displayName} disconnected; its history is kept`,
      data: { cancelledJobs: cancelled.length, stoppingJobs: stopping.length },
      correlationId,
    });
    outbox.publish((p) => {
      for (const job of [...cancelled, ...stopping]) p.syncJobUpdated(job);
      p.integrationUpdated(integration);
    });
    return integration;
  });
}

export function nextSyncAfter(lastSyncAt: Date | null, frequencyMinutes: number, now = new Date()): Date {
  if (!lastSyncAt) return now;
  const due = new Date(lastSyncAt.getTime() + frequencyMinutes * 60_000);
  return due < now ? now : due;
}

function changedSettings(before: MarketplaceIntegration, after: MarketplaceIntegration): string[] {
  const keys = ['displayName', 'syncDirection', 'autoSyncEnabled', 'syncFrequencyMinutes'] as const;
  const changed: string[] = keys.filter((k) => before[k] !== after[k]);
  if (JSON.stringify(before.config) !== JSON.stringify(after.config)) changed.push('config');
  return changed;
}
