import { z } from 'zod';
import { endpoint } from '../http/base-urls.ts';
import { ConnectorError, type ConnectorErrorKind } from '../http/connector-error.ts';
import type { HttpClient } from '../http/http-client.ts';
import { scrubbed } from '../http/platform-message.ts';

/** Dated Admin API version; each is supported for twelve months after release. */
export const shopifyApiVersion = '2026-07';

const graphqlError = z.looseObject({
  message: z.string(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});

/**
 * One Admin GraphQL query. Errors inside a 200 answer are mapped like HTTP ones:
 * THROTTLED (cost budget spent) → RATE_LIMITED, ACCESS_DENIED → INVALID_CREDENTIALS.
 */
export async function shopifyQuery<T>(
  client: HttpClient,
  shopOrigin: string,
  accessToken: string,
  query: string,
  data: z.ZodType<T>,
): Promise<T> {
  const answer = z.object({ data: data.nullish(), errors: z.array(graphqlError).optional() });
  const { status, data: body } = await client.json(
    {
      method: 'POST',
      url: endpoint(shopOrigin, `/admin/api/${shopifyApiVersion}/graphql.json`),
      headers: { 'x-shopify-access-token': accessToken },
      json: { query },
      idempotent: true,
    },
    answer,
  );
  const first = body.errors?.[0];
  if (first || body.data == null) {
    const kind = kindOfGraphqlError(first?.extensions?.code);
    const detail = first ? `: ${scrubbed(first.message, [accessToken])}` : '';
    throw new ConnectorError(kind, `${client.platform} rejected the query (HTTP ${status}, ${first?.extensions?.code ?? 'no data'})${detail}`, {
      platform: client.platform,
      status,
    });
  }
  return body.data;
}

function kindOfGraphqlError(code: string | undefined): ConnectorErrorKind {
  if (code === 'THROTTLED') return 'RATE_LIMITED';
  if (code === 'ACCESS_DENIED') return 'INVALID_CREDENTIALS';
  if (code === 'INTERNAL_SERVER_ERROR') return 'PLATFORM_UNAVAILABLE';
  return 'VALIDATION';
}
