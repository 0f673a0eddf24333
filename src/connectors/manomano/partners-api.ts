/**
 * ManoMano Partners API — everything here is UNVERIFIED: no public contract
 * exists and the developer portal (manomano.dev) is not in our sources. Paths,
 * headers and shapes follow several public client codes; keep every assumption
 * about the API in this file so the real contract changes only it.
 */
import { z } from 'zod';
import type { Environment } from '../http/base-urls.ts';
import { endpoint } from '../http/base-urls.ts';
import type { HttpClient } from '../http/http-client.ts';

export const manomanoProduction: Environment = { api: 'https://partnersapi.manomano.com' };
/** A sandbox with restricted hours exists, its host is not known here. */
export const manomanoEnvironments: readonly Environment[] = [manomanoProduction];

/** Assumed `{content: [...], pagination: {...}}`; only "a JSON object" is relied on. */
const offersPage = z.looseObject({ content: z.array(z.unknown()).optional() });

/**
 * One offer, read with the API key for one seller contract. A key that is wrong
 * or not allowed for that contract is assumed to answer 401/403.
 */
export async function readOneOffer(client: HttpClient, api: string, apiKey: string, sellerContractId: string): Promise<void> {
  await client.json(
    {
      url: endpoint(api, '/api/v1/offer-information/offers', { seller_contract_id: sellerContractId, page: 1, limit: 1 }),
      headers: { 'x-api-key': apiKey },
    },
    offersPage,
  );
}
