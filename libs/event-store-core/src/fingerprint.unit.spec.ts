import { canonicalJson, fingerprint } from './fingerprint';

describe('fingerprint', () => {
  it('does not depend on key order or undefined fields', () => {
    expect(fingerprint({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(fingerprint({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }));
  });

  it('differs when content differs, including array order', () => {
    expect(fingerprint({ a: [1, 2] })).not.toBe(fingerprint({ a: [2, 1] }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: '1' }));
  });

  it('writes dates as ISO strings', () => {
    expect(canonicalJson({ at: new Date('2025-10-23T09:00:00Z') })).toBe('{"at":"2025-10-23T09:00:00.000Z"}');
  });
});
