import { expect } from 'vitest';
import type { CredentialCheckOptions } from '../../src/connectors/credentials.ts';
import type { HttpClientOptions } from '../../src/connectors/http/http-client.ts';
import type { Platform } from '../../src/connectors/platform.ts';
import { AppError } from '../../src/errors.ts';
import { allegroAccount, startAllegroFake } from '../fakes/allegro/server.ts';
import { amazonAccount, startAmazonFake } from '../fakes/amazon/server.ts';
import { octopiaAccount, startOctopiaFake } from '../fakes/cdiscount/server.ts';
import { ebayAccount, startEbayFake } from '../fakes/ebay/server.ts';
import { etsyAccount, startEtsyFake } from '../fakes/etsy/server.ts';
import type { FakeServer } from '../fakes/fake-server.ts';
import { manomanoAccount, startManomanoFake } from '../fakes/manomano/server.ts';
import { shopifyAccount, startShopifyFake } from '../fakes/shopify/server.ts';
import { startWoocommerceFake, woocommerceAccount } from '../fakes/woocommerce/server.ts';

/** Retries without real waiting, short timeouts. */
export const fastHttp: Partial<HttpClientOptions> = { backoffBaseMs: 1, backoffCapMs: 20, timeoutMs: 2_000 };

export const localOptions: CredentialCheckOptions = { allowLocalUrls: true, http: fastHttp };

/** The AppError a promise rejects with (fails the test on anything else). */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the promise to reject with an AppError').toBeInstanceOf(AppError);
  return error as AppError;
}

/** No secret in the message, the details or any cause's message. */
export function expectNoSecrets(error: Error, secrets: readonly string[]): void {
  const texts: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    texts.push(e.message);
    if (e instanceof AppError) texts.push(JSON.stringify(e.details));
  }
  for (const secret of secrets) {
    for (const text of texts) expect(text).not.toContain(secret);
  }
}

export function fieldPaths(error: AppError): (string | number)[][] {
  return (error.details.fieldErrors ?? []).map((e) => e.path);
}

/** How to run one platform's credential check against its fake. */
export interface PlatformKit {
  platform: Platform;
  start(): Promise<FakeServer>;
  /** Valid credentials; shop URLs point at the fake. */
  credentials(fake: FakeServer): Record<string, string>;
  /** The check's apiBaseUrl: the fake, except for shop-URL platforms. */
  apiBaseUrl(fake: FakeServer): string | undefined;
  /** Credential fields holding secrets. */
  secrets: readonly string[];
  /** Fields the check needs beyond a shop URL. */
  needed: readonly string[];
  accountKey(fake: FakeServer): string;
}

export const kits: Record<Platform, PlatformKit> = {
  etsy: {
    platform: 'etsy',
    start: () => startEtsyFake(),
    credentials: () => ({
      api_key: etsyAccount.keystring,
      api_secret: etsyAccount.sharedSecret,
      access_token: etsyAccount.accessToken,
      shop_id: String(etsyAccount.shopId),
    }),
    apiBaseUrl: (fake) => fake.url,
    secrets: [etsyAccount.keystring, etsyAccount.sharedSecret, etsyAccount.accessToken],
    needed: ['api_key', 'api_secret', 'access_token', 'shop_id'],
    accountKey: () => String(etsyAccount.shopId),
  },
  cdiscount: {
    platform: 'cdiscount',
    start: () => startOctopiaFake(),
    credentials: () => ({ api_key: octopiaAccount.clientId, api_secret: octopiaAccount.clientSecret, seller_id: octopiaAccount.sellerId }),
    apiBaseUrl: (fake) => fake.url,
    secrets: [octopiaAccount.clientId, octopiaAccount.clientSecret],
    needed: ['api_key', 'api_secret', 'seller_id'],
    accountKey: () => octopiaAccount.sellerId,
  },
  allegro: {
    platform: 'allegro',
    start: () => startAllegroFake(),
    credentials: () => ({ api_key: 'allegro-client-id-1234', access_token: allegroAccount.accessToken }),
    apiBaseUrl: (fake) => fake.url,
    secrets: ['allegro-client-id-1234', allegroAccount.accessToken],
    needed: ['api_key', 'access_token'],
    accountKey: () => allegroAccount.userId,
  },
  manomano: {
    platform: 'manomano',
    start: () => startManomanoFake(),
    credentials: () => ({ api_key: manomanoAccount.apiKey, shop_id: manomanoAccount.sellerContractId }),
    apiBaseUrl: (fake) => fake.url,
    secrets: [manomanoAccount.apiKey],
    needed: ['api_key', 'shop_id'],
    accountKey: () => manomanoAccount.sellerContractId,
  },
  shopify: {
    platform: 'shopify',
    start: () => startShopifyFake(),
    credentials: (fake) => ({ shop_url: fake.url, access_token: shopifyAccount.accessToken }),
    apiBaseUrl: () => undefined,
    secrets: [shopifyAccount.accessToken],
    needed: ['shop_url', 'access_token'],
    accountKey: () => shopifyAccount.domain,
  },
  woocommerce: {
    platform: 'woocommerce',
    start: () => startWoocommerceFake(),
    credentials: (fake) => ({ shop_url: fake.url, api_key: woocommerceAccount.consumerKey, api_secret: woocommerceAccount.consumerSecret }),
    apiBaseUrl: () => undefined,
    secrets: [woocommerceAccount.consumerKey, woocommerceAccount.consumerSecret],
    needed: ['shop_url', 'api_key', 'api_secret'],
    accountKey: (fake) => fake.url,
  },
  amazon: {
    platform: 'amazon',
    start: () => startAmazonFake(),
    credentials: () => ({
      seller_id: amazonAccount.sellerId,
      marketplace: amazonAccount.marketplaceId,
      api_key: amazonAccount.clientId,
      api_secret: amazonAccount.clientSecret,
      refresh_token: amazonAccount.refreshToken,
    }),
    apiBaseUrl: (fake) => fake.url,
    secrets: [amazonAccount.clientId, amazonAccount.clientSecret, amazonAccount.refreshToken],
    needed: ['seller_id', 'marketplace', 'api_key', 'api_secret', 'refresh_token'],
    accountKey: () => `${amazonAccount.sellerId}:${amazonAccount.marketplaceId}`,
  },
  ebay: {
    platform: 'ebay',
    start: () => startEbayFake(),
    credentials: () => ({
      marketplace: 'EBAY_FR',
      api_key: ebayAccount.clientId,
      api_secret: ebayAccount.clientSecret,
      refresh_token: ebayAccount.refreshToken,
    }),
    apiBaseUrl: (fake) => fake.url,
    secrets: [ebayAccount.clientId, ebayAccount.clientSecret, ebayAccount.refreshToken],
    needed: ['marketplace', 'api_key', 'api_secret', 'refresh_token'],
    accountKey: () => `${ebayAccount.userId}:EBAY_FR`,
  },
};

/**
 * A stand-in for fetch that records the URLs asked for and answers from a list
 * (then fails like a network error): checks production hosts without the internet.
 */
export function scriptedFetch(answers: (() => Response)[]): { urls: string[]; fetch: HttpClientOptions['fetch'] } {
  const urls: string[] = [];
  const fetch: HttpClientOptions['fetch'] = async (input) => {
    urls.push(String(input));
    const next = answers.shift();
    if (!next) throw new TypeError('fetch failed', { cause: Object.assign(new Error('scripted'), { code: 'ECONNREFUSED' }) });
    return next();
  };
  return { urls, fetch };
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
