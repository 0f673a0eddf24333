// `npm run fake -- <platform>`: serves a marketplace fake from test/fakes on 127.0.0.1 and
// prints the connectMarketplace mutation that connects to it. For trying the hub by hand;
// the hub must run with ALLOW_LOCAL_URLS=true to accept the fake's local base URL.
import { allegroAccount, startAllegroFake } from '../test/fakes/allegro/server.ts';
import { amazonAccount, startAmazonFake } from '../test/fakes/amazon/server.ts';
import { octopiaAccount, startOctopiaFake } from '../test/fakes/cdiscount/server.ts';
import { ebayAccount, startEbayFake } from '../test/fakes/ebay/server.ts';
import { etsyAccount, startEtsyFake } from '../test/fakes/etsy/server.ts';
import type { FakeServer } from '../test/fakes/fake-server.ts';
import { manomanoAccount, startManomanoFake } from '../test/fakes/manomano/server.ts';
import { shopifyAccount, startShopifyFake } from '../test/fakes/shopify/server.ts';
import { startWoocommerceFake, woocommerceAccount } from '../test/fakes/woocommerce/server.ts';

interface FakeMarketplace {
  start(): Promise<FakeServer>;
  /** The credentials the fake accepts; shop URLs are the fake's own address. */
  credentials(url: string): Record<string, string>;
  /** Platforms whose shop URL is the API host take no apiBaseUrl. */
  usesShopUrl?: boolean;
}

const fakes: Record<string, FakeMarketplace> = {
  etsy: {
    start: () => startEtsyFake(),
    credentials: () => ({
      api_key: etsyAccount.keystring,
      api_secret: etsyAccount.sharedSecret,
      access_token: etsyAccount.accessToken,
      shop_id: String(etsyAccount.shopId),
    }),
  },
  allegro: { start: () => startAllegroFake(), credentials: () => ({ api_key: 'allegro-client-id', access_token: allegroAccount.accessToken }) },
  cdiscount: {
    start: () => startOctopiaFake(),
    credentials: () => ({ api_key: octopiaAccount.clientId, api_secret: octopiaAccount.clientSecret, seller_id: octopiaAccount.sellerId }),
  },
  manomano: {
    start: () => startManomanoFake(),
    credentials: () => ({ api_key: manomanoAccount.apiKey, shop_id: manomanoAccount.sellerContractId }),
  },
  shopify: {
    start: () => startShopifyFake(),
    credentials: (url) => ({ shop_url: url, access_token: shopifyAccount.accessToken }),
    usesShopUrl: true,
  },
  woocommerce: {
    start: () => startWoocommerceFake(),
    credentials: (url) => ({ shop_url: url, api_key: woocommerceAccount.consumerKey, api_secret: woocommerceAccount.consumerSecret }),
    usesShopUrl: true,
  },
  amazon: {
    start: () => startAmazonFake(),
    credentials: () => ({
      seller_id: amazonAccount.sellerId,
      marketplace: amazonAccount.marketplaceId,
      api_key: amazonAccount.clientId,
      api_secret: amazonAccount.clientSecret,
      refresh_token: amazonAccount.refreshToken,
    }),
  },
  ebay: {
    start: () => startEbayFake(),
    credentials: () => ({
      marketplace: 'EBAY_FR',
      api_key: ebayAccount.clientId,
      api_secret: ebayAccount.clientSecret,
      refresh_token: ebayAccount.refreshToken,
    }),
  },
};

const platform = process.argv[2];
const fake = platform ? fakes[platform] : undefined;
if (!platform || !fake) {
  console.error(`usage: npm run fake -- <${Object.keys(fakes).join(' | ')}>`);
  process.exit(2);
}

const server = await fake.start();
const variables = {
  platform,
  credentials: fake.credentials(server.url),
  ...(fake.usesShopUrl ? {} : { config: { apiBaseUrl: server.url } }),
};
console.log(`Fake ${platform} marketplace listening on ${server.url} (Ctrl+C to stop).

Start the hub with ALLOW_LOCAL_URLS=true, then in GraphiQL run:

mutation Connect($platform: Platform!, $credentials: JSON!, $config: JSON) {
  connectMarketplace(platform: $platform, credentials: $credentials, config: $config) { id name status hasCredentials }
}

with these variables:

${JSON.stringify(variables, null, 2)}
`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
