import Redis from 'ioredis';
import { AppConfig } from '@passerelle/platform';
import { TEST_REDIS_URL } from '@passerelle/testing';
import { ADMIN, type ApiUnderTest, startApi } from './support/api';
import { guessFrom, loginFrom, times } from './support/login-attempts';

/**
 * Password guessing is held back per source, and can lock no one out (issue 19): the real API behind a
 * "reverse proxy" (TRUST_PROXY=127.0.0.1, the test's own connections, which say the client in
 * X-Forwarded-For), and one without TRUST_PROXY, both on the real Redis.
 */
const A = '203.0.113.7';
const B = '198.51.100.20';
const STAFF = { email: 'nadia.haddad@institute.test', fullName: 'Nadia Haddad', password: 'nadia-staff-password' };

describe('login throttle: held back per source, no lock-out', () => {
  let proxied: ApiUnderTest;
  let direct: ApiUnderTest;
  let redis: Redis;

  beforeAll(async () => {
    [proxied, direct] = await Promise.all([
      startApi('login_throttle_proxied', { TRUST_PROXY: '127.0.0.1', LOGIN_DELAY_MAX_MS: '1000' }),
      startApi('login_throttle_direct'),
    ]);
    redis = new Redis(TEST_REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([proxied?.close(), direct?.close()]);
  });

  it('lets the admin in from another source after 30 guesses at the admin account from source A', async () => {
    const statuses = await guessFrom(proxied.http, ADMIN.email, A, 30);
    expect(statuses).toEqual([...times(5, 401), ...times(25, 429)]);
    const admin = await loginFrom(proxied.http, ADMIN.email, ADMIN.password, B);
    expect(admin.status).toBe(200);
    expect(admin.body.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
  });

  it('goes on refusing source A for that account, right password included, with Retry-After, as problem+json', async () => {
    for (const password of ['yet-another-guess', ADMIN.password]) {
      const refused = await loginFrom(proxied.http, ADMIN.email, password, A);
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
    }
    // What the client itself put in X-Forwarded-For, before the proxy's entry, changes nothing: the proxy's entry is the client.
    await loginFrom(proxied.http, ADMIN.email, ADMIN.password, `192.0.2.1, ${A}`).expect(429);
    // IPv4 mapped into IPv6 is the same source.
    await loginFrom(proxied.http, ADMIN.email, ADMIN.password, `::ffff:${A}`).expect(429);
  });

  it('slows, but never refuses, a source that has not failed on an account many sources failed on', async () => {
    await proxied.http.post('/api/staff').set('Authorization', `Bearer ${await token(proxied)}`).send(STAFF).expect(201);
    // Seven failures from two sources, neither reaching its own limit of five.
    expect(await guessFrom(proxied.http, STAFF.email, '192.0.2.10', 4)).toEqual(times(4, 401));
    expect(await guessFrom(proxied.http, STAFF.email, '192.0.2.11', 3)).toEqual(times(3, 401));
    // 250 ms doubled for each failure past five, capped at the configured 1000 ms.
    const started = performance.now();
    await loginFrom(proxied.http, STAFF.email, STAFF.password, '192.0.2.12').expect(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    // A guess from a source that failed less than the limit is slowed too, and still only a 401.
    const guessed = performance.now();
    expect(await guessFrom(proxied.http, STAFF.email, '192.0.2.10', 1)).toEqual([401]);
    expect(performance.now() - guessed).toBeGreaterThanOrEqual(990);
    expect(await guessFrom(proxied.http, STAFF.email, '192.0.2.10', 1)).toEqual([429]);
  });

  it('lets no more guesses through from a source than the limit, even sent all at once', async () => {
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => loginFrom(proxied.http, 'burst.target@institute.test', `parallel-guess-${i}`, '192.0.2.20')));
    expect(burst.map((answer) => answer.status).sort()).toEqual([...times(5, 401), ...times(15, 429)]);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: a spoofed new address does not start A afresh', async () => {
    expect(await guessFrom(direct.http, ADMIN.email, A, 5)).toEqual(times(5, 401));
    for (const spoofed of ['192.0.2.99', '198.51.100.77', A]) {
      await loginFrom(direct.http, ADMIN.email, ADMIN.password, spoofed).expect(429);
    }
    await loginFrom(direct.http, ADMIN.email, ADMIN.password).expect(429);
  });

  it('keeps neither addresses nor e-mails in Redis, in keys or in values', async () => {
    for (const api of [proxied, direct]) {
      const prefix = api.app.get(AppConfig).QUEUE_PREFIX;
      const keys = await scan(`{${prefix}}:*`);
      expect(keys.filter((key) => /:login:pair:[0-9a-f]{32}:[0-9a-f]{32}$/.test(key)).length).toBeGreaterThan(0);
      const stored = [...keys, ...(await Promise.all(keys.map(valueOf)))].join('\n').toLowerCase();
      for (const secret of [A, B, '192.0.2.10', '127.0.0.1', '::ffff', ADMIN.email, STAFF.email, 'passerelle.test', 'institute.test']) {
        expect({ secret, found: stored.includes(secret) }).toEqual({ secret, found: false });
      }
    }
  });

  async function token(api: ApiUnderTest): Promise<string> {
    return (await loginFrom(api.http, ADMIN.email, ADMIN.password).expect(200)).body.accessToken;
  }

  async function scan(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }

  async function valueOf(key: string): Promise<string> {
    const type = await redis.type(key);
    if (type === 'string') return (await redis.get(key)) ?? '';
    if (type === 'zset') return (await redis.zrange(key, 0, -1)).join(' ');
    return '';
  }
});
