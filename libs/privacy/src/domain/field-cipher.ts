import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isSubjectId, type SubjectKey, type SubjectKeyState } from './subject-key';

/**
 * One personal field of an event, encrypted under its subject's key: AES-256-GCM, a fresh random
 * 12-byte IV per value, and as associated data the format version, the subject id, the stream id,
 * the event type and the field name, so a value copied to another subject, stream, event or field
 * does not decrypt. Stored as one string that keeps the subject id in clear:
 *
 *   pd1.<subject id>.<IV, base64url>.<ciphertext and 16-byte tag, base64url>
 */
export interface FieldContext {
  streamId: string;
  eventType: string;
  field: string;
}

/** What reading a field gives: never an exception, so no reader turns an erased person into a 500. */
export type FieldReading =
  | { status: 'decrypted'; subjectId: string; value: string }
  | { status: 'erased'; subjectId: string }
  | { status: 'unreadable'; subjectId?: string; reason: 'not_encrypted' | 'wrong_key' | 'unknown_subject' | 'tampered' };

export const FIELD_FORMAT = 'pd1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptedField {
  subjectId: string;
  iv: Buffer;
  sealed: Buffer;
}

function associatedData(subjectId: string, context: FieldContext): Buffer {
  return Buffer.from(JSON.stringify([FIELD_FORMAT, subjectId, context.streamId, context.eventType, context.field]), 'utf8');
}

export function encryptField(subjectKey: SubjectKey, plaintext: string, context: FieldContext): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', subjectKey.key, iv);
  cipher.setAAD(associatedData(subjectKey.subjectId, context));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [FIELD_FORMAT, subjectKey.subjectId, iv.toString('base64url'), sealed.toString('base64url')].join('.');
}

/** The parts of an encrypted field, or undefined when the value is not one (plain text, another format). */
export function parseEncryptedField(value: string): EncryptedField | undefined {
  const parts = value.split('.');
  if (parts.length !== 4 || parts[0] !== FIELD_FORMAT || !isSubjectId(parts[1])) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(parts[2]) || !/^[A-Za-z0-9_-]+$/.test(parts[3])) return undefined;
  const iv = Buffer.from(parts[2], 'base64url');
  const sealed = Buffer.from(parts[3], 'base64url');
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) return undefined;
  return { subjectId: parts[1], iv, sealed };
}

export function isEncryptedField(value: unknown): value is string {
  return typeof value === 'string' && parseEncryptedField(value) !== undefined;
}

/** The subject id an encrypted field names, in clear; undefined for anything else. */
export function fieldSubjectId(value: string): string | undefined {
  return parseEncryptedField(value)?.subjectId;
}

/**
 * Decrypts with the key the store gave for the field's subject; an erased subject reads as `erased`.
 * `value` is the stored string, or its parts when the caller has parsed it already (parseEncryptedField).
 */
export function decryptField(keyState: SubjectKeyState, value: string | EncryptedField, context: FieldContext): FieldReading {
  const field = typeof value === 'string' ? parseEncryptedField(value) : value;
  if (!field) return { status: 'unreadable', reason: 'not_encrypted' };
  const { subjectId } = field;
  if (keyState.subjectId !== subjectId) return { status: 'unreadable', subjectId, reason: 'wrong_key' };
  if (keyState.status === 'erased') return { status: 'erased', subjectId };
  if (keyState.status === 'unknown') return { status: 'unreadable', subjectId, reason: 'unknown_subject' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyState.key, field.iv);
    decipher.setAAD(associatedData(subjectId, context));
    decipher.setAuthTag(field.sealed.subarray(field.sealed.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(field.sealed.subarray(0, field.sealed.length - TAG_BYTES)), decipher.final()]);
    return { status: 'decrypted', subjectId, value: plain.toString('utf8') };
  } catch {
    return { status: 'unreadable', subjectId, reason: 'tampered' };
  }
}
