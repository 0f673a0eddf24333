import { z } from 'zod';
import { requireCredentials, type VerifyCredentials } from '../credentials.ts';
import { resolveEnvironment } from '../http/base-urls.ts';
import { createHttpClient } from '../http/http-client.ts';
import { shopifyQuery } from './admin-graphql.ts';
import { shopifyShopOrigin } from './shop-domain.ts';

const platform = 'Shopify';

const shopQuery = '{ shop { id name myshopifyDomain } }';
const shopData = z.object({ shop: z.object({ id: z.string(), name: z.string(), myshopifyDomain: z.string().min(1) }) });

/**
 * Admin GraphQL `{ shop { id name myshopifyDomain } }` with X-Shopify-Access-Token.
 * The account key is the myshopify domain Shopify returns, so "my-shop.myshopify.com"
 * and "https://My-Shop.myshopify.com/" are the same account.
 */
export const verifyShopifyCredentials: VerifyCredentials = async (check, options) => {
  const credentials = requireCredentials(platform, check.credentials, ['shop_url', 'access_token']);
  const shopOrigin = shopifyShopOrigin(credentials.shop_url, options.allowLocalUrls);
  const shopApi = { api: shopOrigin };
  const { api } = resolveEnvironment(check.apiBaseUrl, { platform, known: [shopApi], fallback: shopApi, allowLocalUrls: options.allowLocalUrls });
  const client = createHttpClient({ platform, secrets: [credentials.access_token] }, options.http);
  const { shop } = await shopifyQuery(client, api, credentials.access_token, shopQuery, shopData);
  const domain = shop.myshopifyDomain.toLowerCase();
  return { accountKey: domain, displayName: shop.name, shopUrl: `https://${domain}`, shopId: shop.id };
};
