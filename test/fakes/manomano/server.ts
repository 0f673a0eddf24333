import { header, json, startFakeServer, type FakeServer } from '../fake-server.ts';

/**
 * ManoMano Partners API offers read. Everything here is UNVERIFIED (no public
 * contract): x-api-key + seller_contract_id as public clients use them, a
 * `{content, pagination}` page and `{message}` error bodies.
 */
export const manomanoAccount = {
  apiKey: 'manomano-api-key-abcdef',
  sellerContractId: '4242',
};

export function startManomanoFake(account = manomanoAccount): Promise<FakeServer> {
  const errorBody = (status: number, message: string) => ({ code: status, message });
  return startFakeServer({
    errorBody,
    handle(request) {
      if (request.method !== 'GET' || request.path !== '/api/v1/offer-information/offers') return undefined;
      if (header(request, 'x-api-key') !== account.apiKey) return json(401, errorBody(401, 'Invalid API key'));
      if (request.query.get('seller_contract_id') !== account.sellerContractId) {
        return json(403, errorBody(403, 'Access denied to this seller contract'));
      }
      return json(200, {
        content: [{ sku: 'SKU-1', seller_contract_id: Number(account.sellerContractId), price: { price_vat_included: 19.9 }, stock: { quantity: 3 } }],
        pagination: { page: 1, limit: Number(request.query.get('limit') ?? 50), links: {} },
      });
    },
  });
}
