// `prisma generate` needs no schema engine, but the CLI insists that
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file when its own download is
// unavailable (offline installs). Point it at the bundled wasm engine unless set.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(
  import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/schema_engine_bg\.js$/, 'schema_engine_bg.wasm'),
);
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync('prisma', ['generate'], { stdio: 'inherit', env, shell: false });
process.exit(result.status ?? 1);
