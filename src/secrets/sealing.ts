import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './key-ring.ts';

/**
 * Sealed JSON: AES-256-GCM, a fresh 96-bit IV per sealing, a 128-bit tag.
 * Layout of the blob: version (1 byte) | iv (12) | tag (16) | ciphertext.
 * The key id is kept in its own column; the associated data binds the blob to its
 * key id, owner, record and purpose, so a blob copied anywhere else fails to open.
 */

export const sealPurposes = [
  'integration_credentials',
  'webhook_secret',
  'webhook_previous_secret',
  'oauth_verifier',
] as const;
export type SealPurpose = (typeof sealPurposes)[number];

export interface SealContext {
  userId: string;
  /** The id of the row that stores the blob. */
  recordId: string;
  purpose: SealPurpose;
}

export interface Sealed {
  sealed: Uint8Array<ArrayBuffer>;
  keyId: string;
}

export type SealedDataFailure = 'unknown_key' | 'malformed' | 'cannot_open';

/** A blob that cannot be opened. The message names the purpose and key id, never secret material. */
export class SealedDataError extends Error {
  constructor(
    readonly reason: SealedDataFailure,
    readonly keyId: string,
    readonly purpose: SealPurpose,
  ) {
    super(`Sealed ${purpose} (key ${keyId}) cannot be opened: ${explanations[reason]}`);
    this.name = 'SealedDataError';
  }
}

const explanations: Record<SealedDataFailure, string> = {
  unknown_key: 'the key ring has no such key',
  malformed: 'not a sealed value of a known format',
  cannot_open: 'tampered with, sealed for another record or purpose, or under another key',
};

const version = 1;
const ivLength = 12;
const tagLength = 16;
const headerLength = 1 + ivLength + tagLength;
const algorithm = 'aes-256-gcm';

export function sealJson(ring: KeyRing, value: unknown, context: SealContext): Sealed {
  const keyId = ring.activeKeyId;
  const key = ring.key(keyId);
  if (!key) throw new SealedDataError('unknown_key', keyId, context.purpose);
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('sealJson: the value has no JSON form');
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv(algorithm, key, iv, { authTagLength: tagLength });
  cipher.setAAD(associatedData(keyId, context));
  const plaintext = Buffer.from(json, 'utf8');
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  plaintext.fill(0);

  const sealed = new Uint8Array(headerLength + ciphertext.length);
  sealed[0] = version;
  sealed.set(iv, 1);
  sealed.set(cipher.getAuthTag(), 1 + ivLength);
  sealed.set(ciphertext, headerLength);
  return { sealed, keyId };
}

export function openJson<T>(ring: KeyRing, sealed: Uint8Array, keyId: string, context: SealContext): T {
  const key = ring.key(keyId);
  if (!key) throw new SealedDataError('unknown_key', keyId, context.purpose);
  if (sealed.length <= headerLength || sealed[0] !== version) throw new SealedDataError('malformed', keyId, context.purpose);

  const blob = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv(algorithm, key, blob.subarray(1, 1 + ivLength), { authTagLength: tagLength });
  decipher.setAuthTag(blob.subarray(1 + ivLength, headerLength));
  decipher.setAAD(associatedData(keyId, context));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(blob.subarray(headerLength)), decipher.final()]);
  } catch {
    throw new SealedDataError('cannot_open', keyId, context.purpose);
  }
  try {
    return JSON.parse(plaintext.toString('utf8')) as T;
  } catch {
    // Authentic but not JSON: only a bug in the sealing side could do this. No cause, it would quote the plaintext.
    throw new SealedDataError('malformed', keyId, context.purpose);
  } finally {
    plaintext.fill(0);
  }
}

/** An unambiguous encoding (a JSON array) of everything the blob is bound to. */
function associatedData(keyId: string, { userId, recordId, purpose }: SealContext): Buffer {
  if (!userId || !recordId || !sealPurposes.includes(purpose)) {
    throw new TypeError('A seal context needs a userId, a recordId and a known purpose');
  }
  return Buffer.from(JSON.stringify([`sealed-v${version}`, keyId, purpose, userId, recordId]), 'utf8');
}
