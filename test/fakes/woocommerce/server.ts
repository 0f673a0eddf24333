import { basicCredentials, json, startFakeServer, type FakeServer } from '../fake-server.ts';

/**
 * WooCommerce REST API v3 (specs/woocommerce): GET /wp-json/wc/v3/system_status
 * with HTTP Basic consumer key/secret; errors are `{code, message, data: {status}}`,
 * unknown routes WordPress's 404 rest_no_route.
 */
export const woocommerceAccount = {
  consumerKey: 'ck_woocommerce-consumer-key-1234',
  consumerSecret: 'cs_woocommerce-consumer-secret-5678',
};

export function startWoocommerceFake(account = woocommerceAccount): Promise<FakeServer> {
  const errorBody = (status: number, message: string, code = 'woocommerce_rest_error') => ({ code, message, data: { status } });
  return startFakeServer({
    errorBody,
    handle(request) {
      if (request.method !== 'GET' || request.path !== '/wp-json/wc/v3/system_status') {
        return json(404, errorBody(404, 'No route was found matching the URL and request method', 'rest_no_route'));
      }
      const credentials = basicCredentials(request);
      if (!credentials) return json(401, errorBody(401, 'Sorry, you cannot list resources.', 'woocommerce_rest_cannot_view'));
      const [key, secret] = credentials.split(':');
      if (key !== account.consumerKey) return json(401, errorBody(401, 'Consumer key is invalid.', 'woocommerce_rest_authentication_error'));
      if (secret !== account.consumerSecret) return json(401, errorBody(401, 'Consumer secret is invalid.', 'woocommerce_rest_authentication_error'));
      const status = {
        environment: { home_url: 'https://shop.example', site_url: 'https://shop.example', version: '9.9.0' },
        settings: { api_enabled: true, force_ssl: true, currency: 'EUR', currency_symbol: '&euro;' },
      };
      return json(200, request.query.get('_fields') === 'settings' ? { settings: status.settings } : status);
    },
  });
}
