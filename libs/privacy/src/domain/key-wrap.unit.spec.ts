import { randomBytes, randomUUID } from 'node:crypto';
import { blindIndex } from './blind-index';
import { normaliseEmail } from './email-address';
import { masterKey, subjectKeyContext, unwrapKey, wrapKey } from './key-wrap';
import { MasterKeyRing } from './master-key-ring';

describe('key wrapping', () => {
  const master = masterKey(randomBytes(32));
  const key = randomBytes(32);
  const subjectId = randomUUID();

  it('unwraps with the master key and the subject it was wrapped for, and nothing else', () => {
    const wrapped = wrapKey(master, key, subjectKeyContext(subjectId));
    expect(wrapped.includes(key)).toBe(false);
    expect(unwrapKey(master, wrapped, subjectKeyContext(subjectId))).toEqual(key);
    expect(unwrapKey(master, wrapped, subjectKeyContext(randomUUID()))).toBeUndefined();
    expect(unwrapKey(masterKey(randomBytes(32)), wrapped, subjectKeyContext(subjectId))).toBeUndefined();
    const tampered = Buffer.from(wrapped);
    tampered[20] ^= 1;
    expect(unwrapKey(master, tampered, subjectKeyContext(subjectId))).toBeUndefined();
  });

  it('names a master key by a short hash that is stable and not the key', () => {
    const raw = randomBytes(32);
    expect(masterKey(raw).id).toMatch(/^[0-9a-f]{16}$/);
    expect(masterKey(raw).id).toBe(masterKey(Buffer.from(raw)).id);
    expect(masterKey(randomBytes(32)).id).not.toBe(masterKey(raw).id);
    expect(raw.toString('hex')).not.toContain(masterKey(raw).id);
    expect(() => masterKey(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('wraps with the current key of a ring and unwraps with any of its keys', () => {
    const old = randomBytes(32);
    const fresh = randomBytes(32);
    const before = new MasterKeyRing(old).wrap(key, 'k');
    const during = new MasterKeyRing(fresh, [old]);
    expect(during.unwrap(before.wrapped, before.masterKeyId, 'k')).toEqual(key);
    expect(during.wrap(key, 'k').masterKeyId).toBe(masterKey(fresh).id);
    expect(new MasterKeyRing(fresh).unwrap(before.wrapped, before.masterKeyId, 'k')).toBeUndefined();
  });
});

describe('addresses and their blind index', () => {
  const indexKey = randomBytes(32);

  it('compares addresses case-blind, without surrounding space, in one Unicode form', () => {
    expect(normaliseEmail('  Ana.Souza@Example.ORG \n')).toBe('ana.souza@example.org');
    expect(normaliseEmail('Jose\u0301@exemplo.br')).toBe(normaliseEmail('JOSÉ@exemplo.br'));
    expect(blindIndex(indexKey, ' ANA@example.org')).toEqual(blindIndex(indexKey, 'ana@EXAMPLE.org'));
  });

  it('gives different indexes for different addresses and under different keys, and 32 bytes', () => {
    expect(blindIndex(indexKey, 'ana@example.org')).toHaveLength(32);
    expect(blindIndex(indexKey, 'ana@example.org')).not.toEqual(blindIndex(indexKey, 'ana@example.com'));
    expect(blindIndex(randomBytes(32), 'ana@example.org')).not.toEqual(blindIndex(indexKey, 'ana@example.org'));
  });
});
