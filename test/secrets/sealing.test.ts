import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyRing } from '../../src/secrets/key-ring.ts';
import { openJson, sealJson, SealedDataError, type SealContext } from '../../src/secrets/sealing.ts';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const ringA = parseKeyRing(`kA:${keyA}`);
const ringBA = parseKeyRing(`kB:${keyB},kA:${keyA}`);

const context: SealContext = { userId: randomUUID(), recordId: randomUUID(), purpose: 'integration_credentials' };
const credentials = { api_key: 'sk_live_0123456789abcdef', api_secret: 'shh… ünïcødé 🔑' };

describe('sealJson / openJson', () => {
  it('round-trips JSON under the active key, reporting its id', () => {
    const { sealed, keyId } = sealJson(ringA, credentials, context);
    expect(keyId).toBe('kA');
    expect(sealed).toBeInstanceOf(Uint8Array);
    expect(sealed[0]).toBe(1);
    expect(openJson(ringA, sealed, keyId, context)).toEqual(credentials);
  });

  it('never contains the plaintext', () => {
    const { sealed } = sealJson(ringA, credentials, context);
    expect(Buffer.from(sealed).includes(credentials.api_key)).toBe(false);
  });

  it('uses a fresh IV for every sealing', () => {
    const ivs = new Set<string>();
    const blobs = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { sealed } = sealJson(ringA, credentials, context);
      ivs.add(Buffer.from(sealed.subarray(1, 13)).toString('hex'));
      blobs.add(Buffer.from(sealed).toString('hex'));
    }
    expect(ivs.size).toBe(50);
    expect(blobs.size).toBe(50);
  });

  it('opens what an older key sealed, and seals under the active one', () => {
    const old = sealJson(ringA, credentials, context);
    expect(openJson(ringBA, old.sealed, old.keyId, context)).toEqual(credentials);
    expect(sealJson(ringBA, credentials, context).keyId).toBe('kB');
  });

  it('opens a blob that is a view into a larger buffer (as drivers may return)', () => {
    const { sealed, keyId } = sealJson(ringA, credentials, context);
    const larger = new Uint8Array(sealed.length + 10);
    larger.set(sealed, 5);
    expect(openJson(ringA, larger.subarray(5, 5 + sealed.length), keyId, context)).toEqual(credentials);
  });

  it.each([
    ['the version byte', 0],
    ['the first IV byte', 1],
    ['the last IV byte', 12],
    ['the first tag byte', 13],
    ['the last tag byte', 28],
    ['the first ciphertext byte', 29],
    ['the last ciphertext byte', -1],
  ])('fails to open when %s is altered', (_, index) => {
    const { sealed, keyId } = sealJson(ringA, credentials, context);
    const position = index < 0 ? sealed.length + index : index;
    for (const flip of [0x01, 0x80]) {
      const tampered = sealed.slice();
      tampered[position] = tampered[position]! ^ flip;
      expect(() => openJson(ringA, tampered, keyId, context)).toThrow(SealedDataError);
    }
  });

  it('fails to open a truncated or extended blob', () => {
    const { sealed, keyId } = sealJson(ringA, credentials, context);
    for (const blob of [sealed.subarray(0, sealed.length - 1), sealed.subarray(0, 29), new Uint8Array(0), Buffer.concat([sealed, Buffer.from([0])])]) {
      expect(() => openJson(ringA, blob, keyId, context)).toThrow(SealedDataError);
    }
  });

  it.each([
    ['another user', { ...context, userId: randomUUID() }],
    ['another record', { ...context, recordId: randomUUID() }],
    ['another purpose', { ...context, purpose: 'webhook_secret' as const }],
    ['swapped user and record', { ...context, userId: context.recordId, recordId: context.userId }],
  ])('fails to open for %s', (_, otherContext) => {
    const { sealed, keyId } = sealJson(ringA, credentials, context);
    const error = catchError(() => openJson(ringA, sealed, keyId, otherContext));
    expect(error).toMatchObject({ name: 'SealedDataError', reason: 'cannot_open' });
  });

  it('fails to open under an unknown key id', () => {
    const { sealed } = sealJson(ringA, credentials, context);
    expect(catchError(() => openJson(ringA, sealed, 'kZ', context))).toMatchObject({ reason: 'unknown_key', keyId: 'kZ' });
  });

  it('fails to open when the key id column names another key of the ring', () => {
    const { sealed } = sealJson(ringA, credentials, context);
    expect(catchError(() => openJson(ringBA, sealed, 'kB', context))).toMatchObject({ reason: 'cannot_open' });
  });

  it('names no secret material in its errors', () => {
    const { sealed, keyId } = sealJson(ringA, credentials, context);
    const error = catchError(() => openJson(ringA, sealed, keyId, { ...context, purpose: 'oauth_verifier' }));
    expect(error.message).toBe(
      'Sealed oauth_verifier (key kA) cannot be opened: tampered with, sealed for another record or purpose, or under another key',
    );
    expect(error.cause).toBeUndefined();
    const text = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    for (const secret of [keyA, credentials.api_key, Buffer.from(sealed).toString('hex'), Buffer.from(sealed).toString('base64')]) {
      expect(text).not.toContain(secret);
    }
  });

  it('requires a complete context', () => {
    expect(() => sealJson(ringA, credentials, { ...context, recordId: '' })).toThrow(TypeError);
    expect(() => sealJson(ringA, credentials, { ...context, purpose: 'other' as never })).toThrow(TypeError);
    expect(() => sealJson(ringA, undefined, context)).toThrow(TypeError);
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
