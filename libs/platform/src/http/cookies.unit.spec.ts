import { servedOverHttps, setCookie } from './cookies';

describe('cookies the app sets', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln_-';

  it('are Secure when people reach the app over https', () => {
    expect(setCookie({ APP_BASE_URL: 'https://passerelle.example.org' }, 'passerelle_board', jwt, { path: '/admin/queues' })).toBe(
      `passerelle_board=${jwt}; Path=/admin/queues; HttpOnly; SameSite=Strict; Secure`,
    );
    expect(servedOverHttps({ APP_BASE_URL: 'https://passerelle.example.org/' })).toBe(true);
  });

  it('are not Secure over plain http (development), or the browser would drop them', () => {
    expect(setCookie({ APP_BASE_URL: 'http://localhost:3000' }, 'passerelle_board', jwt, { path: '/admin/queues', maxAgeSeconds: 3600.7, sameSite: 'Lax' })).toBe(
      `passerelle_board=${jwt}; Path=/admin/queues; HttpOnly; SameSite=Lax; Max-Age=3600`,
    );
    expect(servedOverHttps({ APP_BASE_URL: 'http://localhost:3000' })).toBe(false);
  });

  it('encode what a cookie value cannot hold, and refuse a name that is not one', () => {
    expect(setCookie({ APP_BASE_URL: 'http://localhost' }, 'c', 'a b;c', { path: '/' })).toMatch(/^c=a%20b%3Bc; /);
    expect(() => setCookie({ APP_BASE_URL: 'http://localhost' }, 'a=b', 'x', { path: '/' })).toThrow(/Not a cookie name/);
  });
});
