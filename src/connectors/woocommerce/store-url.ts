import { credentialFieldError } from '../credentials.ts';
import { parseHttpUrl } from '../http/base-urls.ts';

/**
 * The store's base URL, normalised so the same store always gives the same
 * account key: lower-case host, no default port, no trailing slash, the path
 * kept (WordPress may live in a sub-folder). HTTPS only, since the consumer key
 * and secret travel in a Basic header; plain http only with allowLocalUrls.
 *
 * Later work: resolve the host and refuse private, loopback and link-local
 * addresses (and pin the checked address for the request) — today any public
 * https host is accepted.
 */
export function normaliseStoreUrl(shopUrl: string, allowLocalUrls: boolean): string {
  const url = parseHttpUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(shopUrl.trim()) ? shopUrl : `https://${shopUrl.trim()}`);
  if (!url || (url.protocol !== 'https:' && !allowLocalUrls)) {
    throw credentialFieldError('shop_url', 'WooCommerce store URL must be an https:// address without query or credentials');
  }
  return `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
}
