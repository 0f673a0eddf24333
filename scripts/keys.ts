// `npm run keys -- <command>`: the keys that seal credentials, webhook secrets and OAuth verifiers.
//   generate  prints a new keyId:base64Key pair for ENCRYPTION_KEYS
//   rotate    with the key file: adds a new active key (older keys kept to open), then reseals everything;
//             with ENCRYPTION_KEYS: reseals everything under its first (active) key
//   reseal    reseals everything under the active key (finishes an interrupted rotation)
//   status    the active key id, the ring's source, and how many sealed values each key id holds
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { DataDirLockedError } from '../src/db/data-dir-lock.ts';
import { databaseTarget } from '../src/db/setup.ts';
import { addKeyToFile, generateKey, keyFilePath, KeyRingError, loadKeyRing, type KeyRing } from '../src/secrets/key-ring.ts';
import { countSealedByKeyId, resealAll, sealedColumns } from '../src/secrets/reseal.ts';

const usage = 'Usage: npm run keys -- generate | rotate | reseal | status';

const commands: Record<string, () => Promise<void>> = {
  async generate() {
    const { keyId, base64Key } = generateKey();
    console.log(`${keyId}:${base64Key}`);
    console.error('Prepend it to ENCRYPTION_KEYS (comma-separated, active key first, older keys after it).');
  },

  async rotate() {
    const config = loadConfig();
    await withDatabase(config, async (database) => {
      if (config.encryptionKeys) {
        const ring = await loadKeyRing(config);
        console.log(`ENCRYPTION_KEYS is set: resealing under its first key, ${ring.activeKeyId}.`);
        if ((await reseal(database, ring)) === 0) {
          console.log(
            'Nothing was sealed under an older key. To rotate, first prepend a new key (npm run keys -- generate) ' +
              'to ENCRYPTION_KEYS, keep the older ones after it, restart every hub instance with it, then run this again.',
          );
        }
        return;
      }
      const newKeyId = await addKeyToFile(config.dataDir);
      console.log(`Added key ${newKeyId} to ${keyFilePath(config.dataDir)}; it is now the active key.`);
      await reseal(database, await loadKeyRing(config));
      if (database.kind === 'server') {
        console.log(`Restart running hub instances: they can only open values sealed under ${newKeyId} once they reload the key file.`);
      }
    });
  },

  async reseal() {
    const config = loadConfig();
    await withDatabase(config, async (database) => {
      await reseal(database, await loadKeyRing(config));
    });
  },

  async status() {
    const config = loadConfig();
    if (!config.encryptionKeys && !existsSync(keyFilePath(config.dataDir))) {
      console.log(`No key ring yet: ENCRYPTION_KEYS is unset and ${keyFilePath(config.dataDir)} does not exist (the hub creates it on first start).`);
      return;
    }
    const ring = await loadKeyRing(config);
    console.log(`Active key: ${ring.activeKeyId}`);
    console.log(`Source:     ${ring.source === 'env' ? 'ENCRYPTION_KEYS' : ring.keyFile?.path}`);
    console.log(`Keys:       ${ring.keyIds.join(', ')}`);
    await withDatabase(config, async (database) => {
      const counts = await countSealedByKeyId(database.prisma);
      console.log(counts.length ? 'Sealed values per key id:' : 'No sealed values yet.');
      for (const keyId of new Set(counts.map((c) => c.keyId))) {
        const perColumn = counts.filter((c) => c.keyId === keyId).map((c) => `${c.column} ${c.count}`);
        const note = keyId === ring.activeKeyId ? ' (active)' : ring.key(keyId) ? '' : ' (NOT IN THE KEY RING: cannot be opened)';
        console.log(`  ${keyId}${note}: ${perColumn.join(', ')}`);
      }
    });
  },
};

/** Reseals under the ring's active key and prints the counts; returns how many values were resealed. */
async function reseal(database: Database, ring: KeyRing): Promise<number> {
  const report = await resealAll(database.prisma, ring, { batchSize: 200 });
  console.log(`Resealed under ${ring.activeKeyId}:`);
  for (const { name } of sealedColumns) console.log(`  ${name.padEnd(24)}${report.resealed[name]}`);
  if (report.changedConcurrently) {
    console.log(`${report.changedConcurrently} value(s) changed while resealing and were left alone; run \`npm run keys -- reseal\` again.`);
  }
  if (report.failed.length) {
    console.error(`${report.failed.length} value(s) could not be opened and still use their old key:`);
    for (const f of report.failed) console.error(`  ${f.column} ${f.id} (key ${f.keyId}): ${f.reason}`);
    process.exitCode = 1;
  }
  return Object.values(report.resealed).reduce((sum, count) => sum + count, 0);
}

async function withDatabase(config: Config, work: (database: Database) => Promise<void>) {
  const database = await openDatabase(databaseTarget(config));
  try {
    await work(database);
  } finally {
    await database.close();
  }
}

const name = process.argv[2] ?? '';
const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
if (!command) {
  console.error(usage);
  process.exit(2);
}
try {
  await command();
} catch (error) {
  if (error instanceof ConfigError || error instanceof KeyRingError || error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
  throw error;
}
