import type { ProductFields } from '../test/fakes/platform/store.ts';

/** The benchmark's product number `index` (from 1), the same in the fake platform and the raw-upsert baseline. */
export function benchProduct(index: number): ProductFields {
  const sku = `BENCH-${String(index).padStart(7, '0')}`;
  return {
    sku,
    title: `Bench product ${index}`,
    description: `Description of bench product ${index}, long enough to look like a real one.`,
    price: `${10 + (index % 90)}.${String(index % 100).padStart(2, '0')}`,
    currency: 'EUR',
    stock: index % 50,
    images: [`https://img.example/${sku}.jpg`],
    attributes: { brand: `Brand ${index % 20}`, colour: ['red', 'blue', 'green'][index % 3] },
    status: 'active',
  };
}
