// The benchmark's marketplace: the fake platform (test/fakes/platform) in a process of its
// own, so its catalog does not count in the sync's memory. Driven by IPC from bench/sync.ts.
import { startPlatformFake, type PlatformFakeOptions } from '../test/fakes/platform/server.ts';
import { benchProduct } from './catalog.ts';

export type PlatformCommand =
  | { type: 'seed'; count: number }
  | { type: 'change'; count: number; total: number; round: number }
  | { type: 'stats' }
  | { type: 'close' };

export interface PlatformStats {
  calls: number;
  rateLimited: number;
  writes: Record<string, number>;
}

const options = JSON.parse(process.argv[2] ?? '{}') as PlatformFakeOptions;
const fake = await startPlatformFake(options);
const reply = (message: unknown) => process.send!(message);

process.on('message', (command: PlatformCommand) => {
  switch (command.type) {
    case 'seed': {
      const start = Date.now() - 7_200_000;
      for (let index = 1; index <= command.count; index++) fake.store.createProduct(benchProduct(index), new Date(start + index));
      reply({ type: 'seeded' });
      break;
    }
    case 'change': {
      // Every (total / count)-th product gets a new title, changed now, one millisecond apart.
      const step = Math.floor(command.total / command.count);
      const products = fake.store.allProducts();
      const now = Date.now();
      const skus: string[] = [];
      for (let n = 0; n < command.count; n++) {
        const product = products[n * step + command.round]!;
        fake.store.updateProduct(product.id, { title: `${product.title} (v${command.round + 1})` }, new Date(now + n));
        skus.push(product.sku);
      }
      reply({ type: 'changed', skus });
      break;
    }
    case 'stats': {
      const writes: Record<string, number> = {};
      for (const write of fake.store.writes) writes[write.kind] = (writes[write.kind] ?? 0) + 1;
      const stats: PlatformStats = { calls: fake.totalCalls(), rateLimited: fake.log.filter((entry) => entry.status === 429).length, writes };
      reply({ type: 'stats', stats });
      break;
    }
    case 'close':
      void fake.close().then(() => process.exit(0));
      break;
  }
});

reply({ type: 'ready', url: fake.url, token: fake.token });
