import { randomBytes, randomUUID } from 'node:crypto';
import { decryptField, encryptField, fieldSubjectId, isEncryptedField, parseEncryptedField } from './field-cipher';
import type { SubjectKeyState } from './subject-key';

const subjectId = randomUUID();
const key = randomBytes(32);
const active: SubjectKeyState = { status: 'active', subjectId, key };
const context = { streamId: 'workshop-1', eventType: 'InvitationIssued', field: 'fullName' };

/** Flips one bit of the part at `index` of an encrypted field. */
function flip(value: string, index: number, byte = 0): string {
  const parts = value.split('.');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[byte] ^= 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('field encryption', () => {
  it('round-trips any text, accents, scripts and emoji included, and keeps the subject id in clear', () => {
    for (const text of ['Ana Souza', 'Zhāng Wěi 张伟', 'Siti Nurhaliza 🙂', '', 'a'.repeat(10_000)]) {
      const sealed = encryptField(active, text, context);
      expect(sealed.startsWith(`pd1.${subjectId}.`)).toBe(true);
      expect(fieldSubjectId(sealed)).toBe(subjectId);
      expect(decryptField(active, sealed, context)).toEqual({ status: 'decrypted', subjectId, value: text });
    }
  });

  it('holds nothing of the plaintext', () => {
    const sealed = encryptField(active, 'ana.souza@example.org', context);
    expect(sealed).not.toMatch(/ana|souza|example/i);
    expect(sealed).not.toContain(Buffer.from('ana.souza').toString('base64').slice(0, 8));
  });

  it('draws a fresh 12-byte IV for every value, so equal texts give different values', () => {
    const values = Array.from({ length: 200 }, () => encryptField(active, 'Ana Souza', context));
    expect(new Set(values).size).toBe(200);
    const ivs = values.map((value) => parseEncryptedField(value)!.iv);
    expect(new Set(ivs.map((iv) => iv.toString('hex'))).size).toBe(200);
    expect(ivs.every((iv) => iv.length === 12)).toBe(true);
  });

  it('refuses a tampered IV, ciphertext or tag', () => {
    const sealed = encryptField(active, 'Ana Souza', context);
    const tagStart = parseEncryptedField(sealed)!.sealed.length - 16;
    for (const tampered of [flip(sealed, 2), flip(sealed, 3), flip(sealed, 3, tagStart)]) {
      expect(decryptField(active, tampered, context)).toEqual({ status: 'unreadable', subjectId, reason: 'tampered' });
    }
  });

  it('refuses a value moved to another stream, event type or field', () => {
    const sealed = encryptField(active, 'Ana Souza', context);
    for (const moved of [{ ...context, streamId: 'workshop-2' }, { ...context, eventType: 'PartnerContactAdded' }, { ...context, field: 'position' }]) {
      expect(decryptField(active, sealed, moved)).toMatchObject({ status: 'unreadable', reason: 'tampered' });
    }
  });

  it('refuses a value relabelled with another subject id, and a key of another subject', () => {
    const sealed = encryptField(active, 'Ana Souza', context);
    const other = randomUUID();
    const relabelled = sealed.replace(subjectId, other);
    expect(decryptField({ status: 'active', subjectId: other, key }, relabelled, context)).toMatchObject({ status: 'unreadable', reason: 'tampered' });
    expect(decryptField({ status: 'active', subjectId: other, key }, sealed, context)).toMatchObject({ status: 'unreadable', reason: 'wrong_key' });
    expect(decryptField({ status: 'active', subjectId, key: randomBytes(32) }, sealed, context)).toMatchObject({ status: 'unreadable', reason: 'tampered' });
  });

  it('reads as erased, without throwing, once the key is destroyed', () => {
    const sealed = encryptField(active, 'Ana Souza', context);
    expect(decryptField({ status: 'erased', subjectId, erasedAt: new Date() }, sealed, context)).toEqual({ status: 'erased', subjectId });
    expect(decryptField({ status: 'unknown', subjectId }, sealed, context)).toMatchObject({ status: 'unreadable', reason: 'unknown_subject' });
  });

  it('tells encrypted values from anything else', () => {
    const sealed = encryptField(active, 'x', context);
    expect(isEncryptedField(sealed)).toBe(true);
    for (const other of ['Ana Souza', 'pd1.not-a-uuid.AAAA.BBBB', `pd2.${subjectId}.AAAAAAAAAAAAAAAA.${'B'.repeat(24)}`, `pd1.${subjectId}.short.${'B'.repeat(24)}`, 42, null]) {
      expect(isEncryptedField(other)).toBe(false);
    }
    expect(decryptField(active, 'Ana Souza', context)).toEqual({ status: 'unreadable', reason: 'not_encrypted' });
  });
});
