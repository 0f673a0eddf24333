import type { Connector } from '../connectors/contract.ts';
import { connectorFactory, platformDescriptor } from '../connectors/registry.ts';
import { AppError } from '../errors.ts';
import type { MarketplaceIntegration } from '../generated/prisma/client.ts';
import type { Hub } from '../hub.ts';
import { integrationConfigSchema } from '../integrations/settings.ts';
import { openJson } from '../secrets/sealing.ts';
import type { OpenConnector } from './worker.ts';

/**
 * Opens an integration's connector for one job: looks up the platform's factory,
 * then decrypts the sealed credentials just in time (they live only in the connector).
 */
export function createConnectorOpener(hub: Pick<Hub, 'keyRing' | 'config'>): OpenConnector {
  return async (integration: MarketplaceIntegration, signal: AbortSignal): Promise<Connector> => {
    const factory = connectorFactory(integration.platform);
    const platform = platformDescriptor(integration.platform).displayName;
    if (!factory) {
      throw new AppError('PLATFORM_UNAVAILABLE', `${platform} sync is not available yet.`, { platform, retryable: false });
    }
    if (!integration.credentialsSealed || !integration.credentialsKeyId) {
      throw new AppError('INVALID_CREDENTIALS', `No ${platform} credentials are stored for this integration: reconnect it.`, { platform });
    }
    const credentials = openJson<Record<string, string>>(hub.keyRing, integration.credentialsSealed, integration.credentialsKeyId, {
      userId: integration.userId,
      recordId: integration.id,
      purpose: 'integration_credentials',
    });
    const config = integrationConfigSchema.parse(integration.config);
    return factory({ credentials, config, allowLocalUrls: hub.config.allowLocalUrls, signal });
  };
}
