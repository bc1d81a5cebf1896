import { MetricsAccess } from './metrics-access';

const TOKEN = 'metrics-token-Zr8vQ2mX4kLw';
const allows = (access: MetricsAccess, authorization?: string) => {
  try {
    access.check(authorization);
    return true;
  } catch (err) {
    expect(err).toMatchObject({ status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } });
    return false;
  }
};

describe('who may scrape /metrics', () => {
  it('anyone in development and tests, even with METRICS_TOKEN set', () => {
    for (const NODE_ENV of ['development', 'test'] as const) {
      expect(allows(new MetricsAccess({ NODE_ENV, METRICS_TOKEN: TOKEN }))).toBe(true);
      expect(allows(new MetricsAccess({ NODE_ENV }), 'Bearer anything')).toBe(true);
    }
  });

  it('anyone in production without METRICS_TOKEN (then /metrics belongs on the internal network only)', () => {
    expect(allows(new MetricsAccess({ NODE_ENV: 'production' }))).toBe(true);
  });

  it('in production with METRICS_TOKEN, only a bearer of that exact token', () => {
    const access = new MetricsAccess({ NODE_ENV: 'production', METRICS_TOKEN: TOKEN });
    expect(allows(access, `Bearer ${TOKEN}`)).toBe(true);
    expect(allows(access, `bearer ${TOKEN}`)).toBe(true);
    for (const refused of [undefined, '', 'Bearer', 'Bearer ', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN.toUpperCase()}`]) {
      expect({ refused, allowed: allows(access, refused) }).toEqual({ refused, allowed: false });
    }
  });
});
