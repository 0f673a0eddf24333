import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addKeyToFile, KeyRing, KeyRingError, keyFilePath, loadKeyRing, parseKeyRing } from '../../src/secrets/key-ring.ts';

const keyA = randomBytes(32);
const keyB = randomBytes(32);

describe('key ring from ENCRYPTION_KEYS', () => {
  it('makes the first key active and keeps the others to open', async () => {
    const ring = await loadKeyRing({
      encryptionKeys: `new:${keyB.toString('base64')},old:${keyA.toString('base64')}`,
      dataDir: '/nonexistent',
    });
    expect(ring.source).toBe('env');
    expect(ring.activeKeyId).toBe('new');
    expect(ring.keyIds).toEqual(['new', 'old']);
    expect(ring.key('old')?.export()).toEqual(keyA);
    expect(ring.key('missing')).toBeUndefined();
  });

  it('accepts URL-safe base64 without padding', () => {
    const encoded = keyA.toString('base64url');
    expect(parseKeyRing(`k1:${encoded}`).key('k1')?.export()).toEqual(keyA);
  });

  it.each([
    ['not base64', 'k-bad:abc$def', 'is not valid base64'],
    ['a 16-byte key', `k-bad:${randomBytes(16).toString('base64')}`, 'decodes to 16 bytes'],
    ['a 33-byte key', `k-bad:${randomBytes(33).toString('base64')}`, 'decodes to 33 bytes'],
    ['non-canonical trailing bits', `k-bad:${keyA.toString('base64').replace(/.=$/, 'B=')}`, 'not valid base64'],
  ])('rejects %s, naming the key id and not the key', (_, value, problem) => {
    const good = `k-good:${keyA.toString('base64')}`;
    const error = catchError(() => parseKeyRing(`${good},${value}`));
    expect(error).toBeInstanceOf(KeyRingError);
    expect(error.message).toContain('"k-bad"');
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain(value.slice('k-bad:'.length));
    expect(error.message).not.toContain(keyA.toString('base64'));
  });

  it('does not echo an entry without a key id, which may be a bare key', () => {
    const bare = keyA.toString('base64');
    const error = catchError(() => parseKeyRing(bare));
    expect(error.message).toContain('entry 1 is not keyId:base64Key');
    expect(error.message).not.toContain(bare);
  });

  it('rejects a key id given twice', () => {
    expect(() => parseKeyRing(`k1:${keyA.toString('base64')},k1:${keyB.toString('base64')}`)).toThrow(/"k1" appears twice/);
  });
});

describe('key ring from the key file', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'hub-keys-')), 'data');
  });
  afterEach(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('creates a private file with one key on first load and reuses it afterwards', async () => {
    const first = await loadKeyRing({ encryptionKeys: undefined, dataDir });
    expect(first.source).toBe('file');
    expect(first.keyFile).toEqual({ path: keyFilePath(dataDir), created: true });
    expect(first.activeKeyId).toMatch(/^k\d{8}T\d{6}$/);
    expect((await stat(keyFilePath(dataDir))).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const content = JSON.parse(await readFile(keyFilePath(dataDir), 'utf8'));
    expect(Object.keys(content.keys)).toEqual([first.activeKeyId]);
    expect(content.active).toBe(first.activeKeyId);

    const second = await loadKeyRing({ encryptionKeys: undefined, dataDir });
    expect(second.keyFile?.created).toBe(false);
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(second.key(second.activeKeyId)?.equals(first.key(first.activeKeyId)!)).toBe(true);
  });

  it('lets only one of several concurrent first loads create the key', async () => {
    const rings = await Promise.all([1, 2, 3, 4].map(() => loadKeyRing({ encryptionKeys: undefined, dataDir })));
    expect(rings.filter((ring) => ring.keyFile?.created)).toHaveLength(1);
    const [first] = rings;
    for (const ring of rings) expect(ring.key(first!.activeKeyId)?.equals(first!.key(first!.activeKeyId)!)).toBe(true);
  });

  it('prefers ENCRYPTION_KEYS and then creates no file', async () => {
    await loadKeyRing({ encryptionKeys: `k1:${keyA.toString('base64')}`, dataDir });
    await expect(stat(keyFilePath(dataDir))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.skipIf(process.platform === 'win32')('refuses a key file readable by group or others', async () => {
    await loadKeyRing({ encryptionKeys: undefined, dataDir });
    await chmod(keyFilePath(dataDir), 0o644);
    await expect(loadKeyRing({ encryptionKeys: undefined, dataDir })).rejects.toThrow(/mode 0644.*chmod 600/);
  });

  it('reports a damaged file without quoting it', async () => {
    await loadKeyRing({ encryptionKeys: undefined, dataDir });
    const secretText = `{"active": "k1", "keys": {"k1": "${keyA.toString('base64')}"`;
    await writeFile(keyFilePath(dataDir), secretText, { mode: 0o600 });
    const error: Error = await loadKeyRing({ encryptionKeys: undefined, dataDir }).then(
      () => new Error('expected an error'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(KeyRingError);
    expect(error.message).toContain('is not valid JSON');
    expect(error.message).not.toContain(keyA.toString('base64'));
    expect(error.cause).toBeUndefined();
  });

  it('rejects a file whose active key is not among its keys', async () => {
    await loadKeyRing({ encryptionKeys: undefined, dataDir });
    await writeFile(keyFilePath(dataDir), JSON.stringify({ active: 'k2', keys: { k1: keyA.toString('base64') } }));
    await expect(loadKeyRing({ encryptionKeys: undefined, dataDir })).rejects.toThrow(/active key "k2" is not among its keys/);
  });

  it('rotates: a new active key, the older ones kept, the file still private', async () => {
    const before = await loadKeyRing({ encryptionKeys: undefined, dataDir });
    const newKeyId = await addKeyToFile(dataDir);
    const after = await loadKeyRing({ encryptionKeys: undefined, dataDir });
    expect(newKeyId).not.toBe(before.activeKeyId);
    expect(after.activeKeyId).toBe(newKeyId);
    expect(after.keyIds).toEqual([newKeyId, before.activeKeyId]);
    expect(after.key(before.activeKeyId)?.equals(before.key(before.activeKeyId)!)).toBe(true);
    expect((await stat(keyFilePath(dataDir))).mode & 0o777).toBe(0o600);

    // Same second: the id still has to be new.
    const third = await addKeyToFile(dataDir);
    expect((await loadKeyRing({ encryptionKeys: undefined, dataDir })).keyIds).toEqual([third, newKeyId, before.activeKeyId]);
  });

  it('refuses to rotate without a key file', async () => {
    await expect(addKeyToFile(dataDir)).rejects.toThrow(/No key file at/);
  });
});

describe('a key ring never shows its keys', () => {
  const ring = parseKeyRing(`new:${keyB.toString('base64')},old:${keyA.toString('base64')}`);
  const forms = {
    inspect: inspect(ring, { showHidden: true, depth: 10 }),
    json: JSON.stringify(ring),
    string: String(ring),
    template: `${ring}`,
    nested: inspect({ hub: { keyRing: ring } }, { depth: 10 }),
  };

  it.each(Object.entries(forms))('in %s', (_, text) => {
    for (const key of [keyA, keyB]) {
      for (const encoding of ['base64', 'base64url', 'hex'] as const) expect(text).not.toContain(key.toString(encoding));
    }
  });

  it('but says which keys it holds', () => {
    expect(JSON.parse(forms.json)).toEqual({ source: 'env', activeKeyId: 'new', keyIds: ['new', 'old'] });
    expect(forms.inspect).toContain("activeKeyId: 'new'");
    expect(ring).toBeInstanceOf(KeyRing);
  });
});

function catchError(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
