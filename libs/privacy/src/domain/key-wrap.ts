import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of the keys in the key database: each key (a subject's, the blind-index key)
 * is stored sealed with AES-256-GCM under the master key, with what the key belongs to as associated
 * data, so a wrapped key copied onto another row does not unwrap. Stored form: IV (12) | ciphertext | tag (16).
 */
export interface MasterKey {
  /** A short hash of the key, stored beside each wrapped key: says which master key unwraps it. */
  id: string;
  key: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The master key with its id (the first 16 hex digits of a labelled SHA-256: reveals nothing of the key). */
export function masterKey(key: Buffer): MasterKey {
  if (key.length !== 32) throw new Error('A master key is 32 bytes');
  return { id: createHash('sha256').update('passerelle-master-key-id\0').update(key).digest('hex').slice(0, 16), key };
}

/** Associated data of a subject's key: its subject id. */
export const subjectKeyContext = (subjectId: string) => `subject-key:${subjectId}`;
/** Associated data of a server key: its name. */
export const serverKeyContext = (name: string) => `server-key:${name}`;

export function wrapKey(master: MasterKey, key: Buffer, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', master.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]);
}

/** The key, or undefined when this master key did not wrap it for this context (or the bytes were altered). */
export function unwrapKey(master: MasterKey, wrapped: Buffer, context: string): Buffer | undefined {
  if (wrapped.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', master.key, wrapped.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
    return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
