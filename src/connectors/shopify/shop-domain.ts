import { credentialFieldError } from '../credentials.ts';
import { parseHttpUrl } from '../http/base-urls.ts';

const myshopifyDomain = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The shop's Admin API origin from what the merchant typed ("My-Shop.myshopify.com",
 * "https://my-shop.myshopify.com/"). Only *.myshopify.com hosts are accepted, so a
 * shop domain cannot send our requests elsewhere; with allowLocalUrls any http(s)
 * URL is taken as is (local fakes).
 */
export function shopifyShopOrigin(shopUrl: string, allowLocalUrls: boolean): string {
  const domain = shopUrl.trim().toLowerCase().replace(/^https:\/\//, '').replace(/\/+$/, '');
  if (myshopifyDomain.test(domain)) return `https://${domain}`;
  const local = allowLocalUrls ? parseHttpUrl(shopUrl) : undefined;
  if (local) return local.href.replace(/\/+$/, '');
  throw credentialFieldError('shop_url', 'Shopify shop domain must look like your-shop.myshopify.com');
}
