// Offline Prisma schema engine: the official wasm build of the engine, driven
// through a driver adapter over in-memory PGlite databases. Used by
// scripts/migrations.ts because `prisma migrate` cannot download its native engine.
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export type * from '@prisma/schema-engine-wasm';

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

// The project's lib (ES2023, no DOM) and @types/node 20 do not type the WebAssembly global.
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let enginePromise: Promise<SchemaEngineModule> | undefined;

/**
 * Loads and instantiates the wasm module once. The package's entry point
 * imports the .wasm file as an ES module (bundler style), which Node cannot do,
 * so we wire the wasm-bindgen glue (`schema_engine_bg.js`) to the instance by hand.
 */
export function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  enginePromise ??= (async () => {
    const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue: SchemaEngineModule = await import(glueUrl);
    const bytes = await readFile(new URL('./schema_engine_bg.wasm', glueUrl));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return enginePromise;
}

/**
 * Wraps a PGlite client in the Prisma driver adapter. pglite-prisma-adapter's
 * executeScript does not await `exec`, so a failing migration script would be
 * reported as success (and surface later as an unhandled rejection); we await it
 * and map Postgres errors the way the adapter does for queries.
 */
async function connectPGlite(client: PGlite): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(client).connect();
  adapter.executeScript = async (script) => {
    try {
      await client.exec(script);
    } catch (e) {
      throw toDriverAdapterError(e);
    }
  };
  return adapter;
}

function toDriverAdapterError(e: unknown): unknown {
  if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== 'string') return e;
  const pg = e as Error & { code: string; severity?: string; detail?: string; column?: string; hint?: string };
  return new DriverAdapterError({
    kind: 'postgres',
    code: pg.code,
    severity: pg.severity ?? 'ERROR',
    message: pg.message,
    detail: pg.detail,
    column: pg.column,
    hint: pg.hint,
    originalCode: pg.code,
    originalMessage: pg.message,
  });
}

/** A fresh in-memory main database; every shadow database the engine asks for is another fresh one. */
export class InMemoryPGliteFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = 'pglite-in-memory';
  readonly main = new PGlite();
  private readonly shadows: PGlite[] = [];

  connect(): Promise<SqlDriverAdapter> {
    return connectPGlite(this.main);
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = new PGlite();
    this.shadows.push(shadow);
    return connectPGlite(shadow);
  }

  async close(): Promise<void> {
    await Promise.all([this.main, ...this.shadows].map((db) => db.close()));
  }
}

export interface InMemorySchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes every PGlite database it opened. */
  close(): Promise<void>;
}

export type EngineLogger = (line: string) => void;

/** Default logger: engine log lines (JSON) go to stderr only when SCHEMA_ENGINE_DEBUG is set. */
const debugLogger: EngineLogger = (line) => {
  if (process.env.SCHEMA_ENGINE_DEBUG) console.error(line);
};

/**
 * Creates a schema engine bound to a fresh in-memory PGlite database.
 * `datamodels` are [path, content] pairs of the Prisma schema files.
 */
export async function createSchemaEngine(
  datamodels?: [path: string, content: string][],
  log: EngineLogger = debugLogger,
): Promise<InMemorySchemaEngine> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const databases = new InMemoryPGliteFactory();
  const engine = await SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(databases));
  return {
    engine,
    async close() {
      engine.free();
      await databases.close();
    },
  };
}
