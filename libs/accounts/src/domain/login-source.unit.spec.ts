import { loginSource } from './login-source';

describe('the source a login is counted against', () => {
  it('is the IPv4 address, mapped into IPv6 or not', () => {
    expect(loginSource('203.0.113.7')).toBe('203.0.113.7');
    expect(loginSource('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(loginSource('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('is the /64 network of an IPv6 address, however it is written', () => {
    expect(loginSource('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(loginSource('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(loginSource('2001:db8:1:2::ffff:1')).toBe(loginSource('2001:db8:1:2:0:0:0:2'));
    expect(loginSource('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(loginSource('::1')).toBe('0:0:0:0::/64');
    expect(loginSource('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(loginSource('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('keeps what is no address as it is', () => {
    expect(loginSource('unknown')).toBe('unknown');
    expect(loginSource('999.1.1.1')).toBe('999.1.1.1');
  });
});
