import { lockId, LoginThrottleKeys, parseLockId } from './login-throttle-keys';

describe('login throttle keys', () => {
  const keys = new LoginThrottleKeys('a-signing-key-of-at-least-32-characters', 'passerelle');

  it('hash e-mails whatever their case and addresses as their source, under the queues\' hash tag', () => {
    expect(keys.accountHash(' Admin@Example.ORG ')).toBe(keys.accountHash('admin@example.org'));
    expect(keys.sourceHash('::ffff:203.0.113.7')).toBe(keys.sourceHash('203.0.113.7'));
    expect(keys.sourceHash('2001:db8:1:2::1')).toBe(keys.sourceHash('2001:db8:1:2::2'));
    expect(keys.sourceHash('2001:db8:1:3::1')).not.toBe(keys.sourceHash('2001:db8:1:2::1'));
    const key = keys.pair(keys.accountHash('admin@example.org'), keys.sourceHash('203.0.113.7'));
    expect(key).toMatch(/^\{passerelle\}:login:pair:[0-9a-f]{32}:[0-9a-f]{32}$/);
    expect(key).not.toMatch(/admin|example|203/);
  });

  it('depend on the signing key, and tell an account from a source with the same text', () => {
    const other = new LoginThrottleKeys('another-signing-key-of-32-characters!!', 'passerelle');
    expect(other.accountHash('admin@example.org')).not.toBe(keys.accountHash('admin@example.org'));
    expect(keys.accountHash('203.0.113.7')).not.toBe(keys.sourceHash('203.0.113.7'));
  });

  it('name entries by their two hashes, `any` for the side they do not name, and read such ids back only', () => {
    const account = 'a'.repeat(32);
    const source = 'b'.repeat(32);
    expect(lockId(account, source)).toEqual({ id: `${account}.${source}`, scope: 'source-on-account', account, source });
    expect(parseLockId(`${account}.any`)).toEqual({ id: `${account}.any`, scope: 'account', account, source: null });
    expect(parseLockId(`any.${source}`)).toEqual({ id: `any.${source}`, scope: 'source', account: null, source });
    for (const bad of ['any.any', '', 'x', `${account}`, `${account}.${source}.any`, `${account.toUpperCase()}.any`, `${account}.${source.slice(1)}`]) {
      expect({ bad, parsed: parseLockId(bad) }).toEqual({ bad, parsed: null });
    }
  });
});
