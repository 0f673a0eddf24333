import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';

/**
 * The keys that seal secrets at rest: one active key seals, every key opens.
 * Keys come from ENCRYPTION_KEYS (active first) or from `<dataDir>/keys.json`,
 * created on first start. Key bytes live only in KeyObjects inside the ring and
 * never reach an error message, a log line, inspect() or JSON.
 */

export type KeyRingSource = 'env' | 'file';

export const keyFileName = 'keys.json';
const keyLength = 32;
const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

export class KeyRing {
  readonly #keys: ReadonlyMap<string, KeyObject>;

  constructor(
    readonly source: KeyRingSource,
    readonly activeKeyId: string,
    keys: ReadonlyMap<string, KeyObject>,
    /** Set for a file ring; `created` = the file was created by this load (a new key: tell the operator to back it up). */
    readonly keyFile?: { path: string; created: boolean },
  ) {
    if (!keys.has(activeKeyId)) throw new KeyRingError(`The active key "${activeKeyId}" is not in the key ring`);
    this.#keys = new Map(keys);
  }

  /** Every key id, the active one first. */
  get keyIds(): string[] {
    return [this.activeKeyId, ...[...this.#keys.keys()].filter((id) => id !== this.activeKeyId)];
  }

  key(keyId: string): KeyObject | undefined {
    return this.#keys.get(keyId);
  }

  toJSON() {
    return { source: this.source, activeKeyId: this.activeKeyId, keyIds: this.keyIds };
  }

  toString() {
    return `KeyRing(${this.source}, active ${this.activeKeyId}, ${this.#keys.size} key(s))`;
  }

  [inspect.custom]() {
    return `KeyRing ${inspect(this.toJSON())}`;
  }
}

/** The key ring from ENCRYPTION_KEYS when set, else from the key file under dataDir (created if missing). */
export async function loadKeyRing(options: { encryptionKeys: string | undefined; dataDir: string }): Promise<KeyRing> {
  return options.encryptionKeys ? parseKeyRing(options.encryptionKeys) : loadKeyFile(options.dataDir);
}

/** Parses ENCRYPTION_KEYS: comma-separated `keyId:base64Key`, the active key first. */
export function parseKeyRing(encryptionKeys: string): KeyRing {
  const keys = new Map<string, KeyObject>();
  for (const [index, entry] of encryptionKeys.split(',').entries()) {
    const separator = entry.indexOf(':');
    // Without a colon the entry may be a bare key: say where it is, never what it is.
    if (separator < 0) throw new KeyRingError(`ENCRYPTION_KEYS: entry ${index + 1} is not keyId:base64Key`);
    addKey(keys, entry.slice(0, separator).trim(), entry.slice(separator + 1).trim(), 'ENCRYPTION_KEYS', index);
  }
  const [activeKeyId] = keys.keys();
  if (!activeKeyId) throw new KeyRingError('ENCRYPTION_KEYS: expected at least one keyId:base64Key pair');
  return new KeyRing('env', activeKeyId, keys);
}

/** A new key id (`kYYYYMMDDTHHMMSS`, UTC) and a random 32-byte key, base64. */
export function generateKey(existingKeyIds: Iterable<string> = []): { keyId: string; base64Key: string } {
  const taken = new Set(existingKeyIds);
  let keyId = `k${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  while (taken.has(keyId)) keyId = `${keyId.slice(0, 16)}-${randomBytes(2).toString('hex')}`;
  return { keyId, base64Key: randomBytes(keyLength).toString('base64') };
}

/**
 * Rotation: adds a new key to the key file and makes it active; the older keys stay
 * to open what they sealed until everything is resealed. Returns the new active key id.
 */
export async function addKeyToFile(dataDir: string): Promise<string> {
  const file = keyFilePath(dataDir);
  if (!(await exists(file))) throw missingKeyFile(file);
  const releaseLock = await lockKeyFile(file);
  try {
    const current = parseKeyFile(await readKeyFile(file), file);
    const { keyId, base64Key } = generateKey(Object.keys(current.keys));
    await writeKeyFileAtomically(file, { active: keyId, keys: { [keyId]: base64Key, ...current.keys } }, 'replace');
    return keyId;
  } finally {
    await releaseLock();
  }
}

export function keyFilePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), keyFileName);
}

// ─── The key file ────────────────────────────────────────────────────────────

interface KeyFileContent {
  active: string;
  keys: Record<string, string>;
}

async function loadKeyFile(dataDir: string): Promise<KeyRing> {
  const file = keyFilePath(dataDir);
  let created = false;
  if (!(await exists(file))) {
    const { keyId, base64Key } = generateKey();
    created = await writeKeyFileAtomically(file, { active: keyId, keys: { [keyId]: base64Key } }, 'create');
  }
  const content = parseKeyFile(await readKeyFile(file), file);
  const keys = new Map<string, KeyObject>();
  for (const [index, [keyId, encoded]] of Object.entries(content.keys).entries()) addKey(keys, keyId, encoded, file, index);
  return new KeyRing('file', content.active, keys, { path: file, created });
}

/**
 * Reads the key file after checking it is private. A key file readable by group or
 * others is refused, like ssh refuses such a private key: it unlocks every merchant's
 * credentials, a warning in a start-up log is easily missed, and the fix is one chmod.
 */
async function readKeyFile(file: string): Promise<string> {
  let mode: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new KeyRingError(`${file} is not a regular file`);
    mode = info.mode & 0o777;
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? missingKeyFile(file) : error;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeyRingError(
      `${file} is accessible to group or others (mode ${mode.toString(8).padStart(4, '0')}); ` +
        `it must be private to the hub's user: chmod 600 ${file}`,
    );
  }
  return readFile(file, 'utf8');
}

function missingKeyFile(file: string) {
  return new KeyRingError(`No key file at ${file}: start the hub once to create it, or set ENCRYPTION_KEYS`);
}

function parseKeyFile(text: string, file: string): KeyFileContent {
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch {
    // No cause: JSON.parse's message quotes the file's text, that is key material.
    throw new KeyRingError(`${file} is not valid JSON; expected {"active": "<keyId>", "keys": {"<keyId>": "<base64Key>"}}`);
  }
  const { active, keys } = (content ?? {}) as Partial<KeyFileContent>;
  const validKeys =
    typeof keys === 'object' && keys !== null && !Array.isArray(keys) && Object.values(keys).every((v) => typeof v === 'string');
  if (typeof active !== 'string' || !validKeys) {
    throw new KeyRingError(`${file}: expected {"active": "<keyId>", "keys": {"<keyId>": "<base64Key>"}}`);
  }
  if (!Object.hasOwn(keys, active)) throw new KeyRingError(`${file}: the active key "${active}" is not among its keys`);
  return { active, keys };
}

/**
 * Writes a private temporary file, flushes it, then moves it into place: with
 * 'create' through link(), which fails if another process created the file first
 * (theirs wins; returns false), with 'replace' through rename().
 */
async function writeKeyFileAtomically(file: string, content: KeyFileContent, how: 'create' | 'replace'): Promise<boolean> {
  const folder = path.dirname(file);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (how === 'replace') {
      await rename(temporary, file);
    } else {
      try {
        await link(temporary, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    }
    await syncFolder(folder);
    return true;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** One rotation at a time: two concurrent ones would each write the file and one new key would be lost. */
async function lockKeyFile(file: string): Promise<() => Promise<void>> {
  const lock = `${file}.lock`;
  try {
    await (await open(lock, 'wx', 0o600)).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new KeyRingError(`Another key rotation holds ${lock}; if none is running, delete that file and retry`);
  }
  return () => rm(lock, { force: true });
}

/** Makes a rename or link durable; not every platform can open a folder, which is fine. */
async function syncFolder(folder: string) {
  const handle = await open(folder, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

// ─── Keys ────────────────────────────────────────────────────────────────────

/** Decodes and adds one key; errors name the key id and where it came from, never the key. */
function addKey(keys: Map<string, KeyObject>, keyId: string, encoded: string, where: string, index: number) {
  if (!keyIdPattern.test(keyId)) {
    throw new KeyRingError(`${where}: key ${index + 1} has an invalid id; ids are 1 to 64 characters among A-Z a-z 0-9 . _ -`);
  }
  if (keys.has(keyId)) throw new KeyRingError(`${where}: key "${keyId}" appears twice`);
  const bytes = decodeBase64(encoded);
  try {
    if (!bytes) throw new KeyRingError(`${where}: key "${keyId}" is not valid base64`);
    if (bytes.length !== keyLength) {
      throw new KeyRingError(`${where}: key "${keyId}" decodes to ${bytes.length} bytes; AES-256 needs exactly ${keyLength}`);
    }
    keys.set(keyId, createSecretKey(bytes));
  } finally {
    bytes?.fill(0);
  }
}

/** Strict base64 (standard or URL-safe alphabet, padding optional); Buffer.from alone skips bad characters. */
function decodeBase64(encoded: string): Buffer | undefined {
  const standard = encoded.replace(/-/g, '+').replace(/_/g, '/').replace(/={0,2}$/, '');
  if (!/^[A-Za-z0-9+/]+$/.test(standard)) return undefined;
  const bytes = Buffer.from(standard, 'base64');
  // Rejects non-canonical trailing bits and impossible lengths, which Buffer.from silently drops.
  if (bytes.toString('base64').replace(/=+$/, '') !== standard) return undefined;
  return bytes;
}
