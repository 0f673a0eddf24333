import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { credentialVerifier } from '../connectors/registry.ts';
import type { PlatformDescriptor } from '../connectors/platform.ts';
import { platformDescriptor } from '../connectors/registry.ts';
import { AppError, type FieldError } from '../errors.ts';
import { runAsUser } from '../events/tenant-work.ts';
import type { MarketplaceIntegration, Platform } from '../generated/prisma/client.ts';
import type { SyncDirection } from '../generated/prisma/enums.ts';
import type { Hub, Viewer } from '../hub.ts';
import { credentialHint } from '../secrets/credential-hint.ts';
import { sealJson } from '../secrets/sealing.ts';
import { invalidInputMessage, parseInput } from '../schema/validation.ts';
import { displayNameSchema, integrationConfigSchema, syncFrequencySchema } from './settings.ts';

export interface ConnectInput {
  platform: Platform;
  credentials: unknown;
  config?: unknown;
  displayName?: string | null;
  syncDirection?: SyncDirection | null;
  autoSyncEnabled?: boolean | null;
  syncFrequencyMinutes?: number | null;
}

const maxCredentialLength = 8192;

/**
 * Connects (or reconnects) a marketplace account: checks the platform's fields,
 * has its connector verify them against the marketplace, and only then stores
 * them sealed. Connecting the same account again updates it in place.
 */
export async function connectMarketplace(
  hub: Hub,
  viewer: Viewer,
  input: ConnectInput,
  correlationId: string,
): Promise<MarketplaceIntegration> {
  const descriptor = platformDescriptor(input.platform);
  const credentials = checkCredentialFields(descriptor, input.credentials);
  const config = parseInput(integrationConfigSchema, input.config ?? {}, 'config');
  const displayName = input.displayName == null ? undefined : parseInput(displayNameSchema, input.displayName, 'displayName');
  const frequency =
    input.syncFrequencyMinutes == null ? undefined : parseInput(syncFrequencySchema, input.syncFrequencyMinutes, 'syncFrequencyMinutes');

  const account = await credentialVerifier(input.platform)(
    { credentials, apiBaseUrl: config.apiBaseUrl },
    { allowLocalUrls: hub.config.allowLocalUrls },
  );

  const secretNames = descriptor.credentialFields.filter((f) => f.secret).map((f) => f.name);
  const secrets = Object.fromEntries(Object.entries(credentials).filter(([name]) => secretNames.includes(name)));

  return runAsUser(hub.database.prisma, hub.publisher, viewer.userId, async (tx, outbox) => {
    const existing = await tx.marketplaceIntegration.findUnique({
      where: { userId_platform_accountKey: { userId: viewer.userId, platform: input.platform, accountKey: account.accountKey } },
    });
    const id = existing?.id ?? randomUUID();
    const sealed = sealJson(hub.keyRing, secrets, { userId: viewer.userId, recordId: id, purpose: 'integration_credentials' });
    const autoSync = input.autoSyncEnabled ?? existing?.autoSyncEnabled ?? true;
    const now = new Date();
    const fields = {
      displayName: displayName ?? existing?.displayName ?? account.displayName,
      shopId: account.shopId ?? null,
      shopUrl: account.shopUrl ?? null,
      sellerId: account.sellerId ?? null,
      marketplace: account.marketplace ?? null,
      credentialsSealed: sealed.sealed,
      credentialsKeyId: sealed.keyId,
      credentialFields: Object.keys(credentials).sort(),
      credentialHint: credentialHint(credentials, secretNames),
      status: 'connected' as const,
      syncDirection: input.syncDirection ?? existing?.syncDirection ?? 'bidirectional',
      autoSyncEnabled: autoSync,
      syncFrequencyMinutes: frequency ?? existing?.syncFrequencyMinutes ?? 60,
      config: parseInput(integrationConfigSchema, { ...(existing?.config as object | undefined), ...(input.config as object | undefined) }, 'config'),
      nextSyncAt: autoSync ? now : null,
      lastError: null,
      lastErrorAt: null,
      disconnectedAt: null,
    };
    const integration = existing
      ? await tx.marketplaceIntegration.update({ where: { id }, data: { ...fields, connectedAt: now } })
      : await tx.marketplaceIntegration.create({
          data: { id, userId: viewer.userId, platform: input.platform, accountKey: account.accountKey, ...fields },
        });
    await outbox.log({
      integrationId: id,
      type: 'integration_connected',
      source: 'api',
      message: existing
        ? `${descriptor.displayName} account ${integration.displayName} reconnected`
        : `${descriptor.displayName} account ${integration.displayName} connected`,
      data: { platform: input.platform, reconnected: Boolean(existing), credentialFields: fields.credentialFields },
      correlationId,
    });
    outbox.publish((p) => p.integrationUpdated(integration));
    return integration;
  });
}

const credentialsShape = z.record(z.string(), z.unknown(), { error: 'expected an object of credential fields' });

/** Required fields present, no unknown field, every value a non-empty string of sane length. */
function checkCredentialFields(descriptor: PlatformDescriptor, value: unknown): Record<string, string> {
  const raw = parseInput(credentialsShape, value, 'credentials');
  const known = new Map(descriptor.credentialFields.map((f) => [f.name, f]));
  const fieldErrors: FieldError[] = [];
  const credentials: Record<string, string> = {};
  for (const [name, fieldValue] of Object.entries(raw)) {
    if (!known.has(name)) {
      fieldErrors.push({ path: ['credentials', name], message: `${descriptor.displayName} has no credential field "${name}"` });
    } else if (fieldValue === null || fieldValue === undefined || fieldValue === '') {
      continue;
    } else if (typeof fieldValue !== 'string') {
      fieldErrors.push({ path: ['credentials', name], message: 'expected a string' });
    } else if (fieldValue.trim() === '' || fieldValue.length > maxCredentialLength) {
      fieldErrors.push({ path: ['credentials', name], message: `expected 1 to ${maxCredentialLength} characters` });
    } else {
      credentials[name] = fieldValue.trim();
    }
  }
  for (const field of descriptor.credentialFields) {
    if (field.required && !(field.name in credentials) && !fieldErrors.some((e) => e.path[1] === field.name)) {
      fieldErrors.push({ path: ['credentials', field.name], message: `${field.label} is required` });
    }
  }
  if (fieldErrors.length) throw new AppError('BAD_USER_INPUT', invalidInputMessage(fieldErrors), { fieldErrors });
  return credentials;
}
