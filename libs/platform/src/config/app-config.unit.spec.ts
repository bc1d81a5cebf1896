import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('takes the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/passerelle',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SMTP_URL: 'smtp://127.0.0.1:1025',
      MAIL_FROM: 'Passerelle <no-reply@passerelle.local>',
      PORT: 3000,
      APP_BASE_URL: 'http://localhost:3000',
      APPROVALS_REQUIRED: 2,
      REMINDER_CHECK_INTERVAL_SECONDS: 3600,
      RECONCILE_INTERVAL_SECONDS: 60,
    });
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('reads and converts values from the environment', () => {
    const config = loadConfig({ PORT: '8080', APPROVALS_REQUIRED: '3', DATABASE_URL: 'postgresql://u:p@db:5432/x' });
    expect(config.PORT).toBe(8080);
    expect(config.APPROVALS_REQUIRED).toBe(3);
    expect(config.DATABASE_URL).toBe('postgresql://u:p@db:5432/x');
  });

  it('takes the reminder check interval in whole seconds, from one second to a day', () => {
    expect(loadConfig({ REMINDER_CHECK_INTERVAL_SECONDS: '2' }).REMINDER_CHECK_INTERVAL_SECONDS).toBe(2);
    for (const bad of ['0', '86401', 'hourly', '1.5']) {
      expect(() => loadConfig({ REMINDER_CHECK_INTERVAL_SECONDS: bad })).toThrow(/REMINDER_CHECK_INTERVAL_SECONDS/);
    }
  });

  it('takes an access token lifetime from a minute to 12 hours', () => {
    expect(loadConfig({ JWT_TTL_SECONDS: '43200' }).JWT_TTL_SECONDS).toBe(43_200);
    for (const bad of ['59', '43201', '86400', 'a day']) {
      expect(() => loadConfig({ JWT_TTL_SECONDS: bad })).toThrow(/JWT_TTL_SECONDS/);
    }
  });

  it('takes the reconcile interval in whole seconds, from one second to a day', () => {
    expect(loadConfig({ RECONCILE_INTERVAL_SECONDS: '1' }).RECONCILE_INTERVAL_SECONDS).toBe(1);
    for (const bad of ['0', '86401', 'often', '2.5']) {
      expect(() => loadConfig({ RECONCILE_INTERVAL_SECONDS: bad })).toThrow(/RECONCILE_INTERVAL_SECONDS/);
    }
  });

  it('keeps personal data unless PERSONAL_DATA_RETENTION_DAYS is a whole number of days, 0 or more', () => {
    expect(loadConfig({}).PERSONAL_DATA_RETENTION_DAYS).toBeUndefined();
    expect(loadConfig({ PERSONAL_DATA_RETENTION_DAYS: '' }).PERSONAL_DATA_RETENTION_DAYS).toBeUndefined();
    expect(loadConfig({ PERSONAL_DATA_RETENTION_DAYS: '0' }).PERSONAL_DATA_RETENTION_DAYS).toBe(0);
    expect(loadConfig({ PERSONAL_DATA_RETENTION_DAYS: '365' }).PERSONAL_DATA_RETENTION_DAYS).toBe(365);
    for (const bad of ['-1', '2.5', 'forever', '36501']) {
      expect(() => loadConfig({ PERSONAL_DATA_RETENTION_DAYS: bad })).toThrow(/PERSONAL_DATA_RETENTION_DAYS/);
    }
  });

  it('keeps Idempotency-Keys 24 hours unless told from 1 hour to 30 days', () => {
    expect(loadConfig({}).IDEMPOTENCY_KEY_HOURS).toBe(24);
    expect(loadConfig({ IDEMPOTENCY_KEY_HOURS: '720' }).IDEMPOTENCY_KEY_HOURS).toBe(720);
    for (const bad of ['0', '721', 'a day', '1.5']) {
      expect(() => loadConfig({ IDEMPOTENCY_KEY_HOURS: bad })).toThrow(/IDEMPOTENCY_KEY_HOURS/);
    }
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://nope', APPROVALS_REQUIRED: '0' });
      throw new Error('should have failed');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/REDIS_URL/);
      expect(message).toMatch(/APPROVALS_REQUIRED/);
    }
  });

  it('keeps 2,000 streams by default, none with STREAM_CACHE_SIZE=0, and refuses a size that is not a whole number of streams', () => {
    expect(loadConfig({}).STREAM_CACHE_SIZE).toBe(2000);
    expect(loadConfig({ STREAM_CACHE_SIZE: '0' }).STREAM_CACHE_SIZE).toBe(0);
    expect(loadConfig({ STREAM_CACHE_SIZE: '500' }).STREAM_CACHE_SIZE).toBe(500);
    for (const bad of ['-1', '2.5', 'lots']) expect(() => loadConfig({ STREAM_CACHE_SIZE: bad })).toThrow(/STREAM_CACHE_SIZE/);
  });

  it('trusts what it read of an account for 5 seconds by default, 0 to 300 as set, nothing else', () => {
    expect(loadConfig({}).ACCOUNT_CACHE_SECONDS).toBe(5);
    expect(loadConfig({ ACCOUNT_CACHE_SECONDS: '0' }).ACCOUNT_CACHE_SECONDS).toBe(0);
    expect(loadConfig({ ACCOUNT_CACHE_SECONDS: '30' }).ACCOUNT_CACHE_SECONDS).toBe(30);
    for (const bad of ['-1', '2.5', '301', 'soon']) expect(() => loadConfig({ ACCOUNT_CACHE_SECONDS: bad })).toThrow(/ACCOUNT_CACHE_SECONDS/);
  });

  it('batches the invitation projection\'s runs by default, and reads true/false or 1/0 for it', () => {
    expect(loadConfig({}).INVITATION_PROJECTION_BATCH_RUNS).toBe(true);
    expect(loadConfig({ INVITATION_PROJECTION_BATCH_RUNS: 'false' }).INVITATION_PROJECTION_BATCH_RUNS).toBe(false);
    expect(loadConfig({ INVITATION_PROJECTION_BATCH_RUNS: '0' }).INVITATION_PROJECTION_BATCH_RUNS).toBe(false);
    expect(loadConfig({ INVITATION_PROJECTION_BATCH_RUNS: 'true' }).INVITATION_PROJECTION_BATCH_RUNS).toBe(true);
    expect(() => loadConfig({ INVITATION_PROJECTION_BATCH_RUNS: 'maybe' })).toThrow(/INVITATION_PROJECTION_BATCH_RUNS/);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), PRIVACY_MASTER_KEY: 'k'.repeat(43) + '=' }).jwtSecret).toBe('x'.repeat(32));
  });

  it('takes a METRICS_TOKEN of 16 characters or more, and none by default', () => {
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'm'.repeat(16) }).METRICS_TOKEN).toBe('m'.repeat(16));
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });

  it('wants the admin e-mail and password together', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.org' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.org', ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('trusts no proxy by default, and reads TRUST_PROXY as a list of addresses and CIDR ranges', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustedProxies).toEqual(['127.0.0.1']);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.2, 192.168.0.0/16 ,fd00::/8,::1 ' }).trustedProxies).toEqual(['10.0.0.2', '192.168.0.0/16', 'fd00::/8', '::1']);
  });

  it('stops at start on a TRUST_PROXY that is not a list of addresses or ranges, naming it and the bad entry', () => {
    for (const bad of ['proxy.example.org', '10.0.0.1,', '10.0.0.0/33', '10.0.0.300', 'fd00::/129', '10.0.0.0/8/1', 'true', '*']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be comma-separated IP addresses or CIDR ranges/);
    }
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1,gateway' })).toThrow(/not an address or range: "gateway"/);
  });

  it('caps the login slow-down at 3 s by default, from none to 10 s', () => {
    expect(loadConfig({}).LOGIN_DELAY_MAX_MS).toBe(3000);
    expect(loadConfig({ LOGIN_DELAY_MAX_MS: '0' }).LOGIN_DELAY_MAX_MS).toBe(0);
    for (const bad of ['-1', '10001', 'slow']) expect(() => loadConfig({ LOGIN_DELAY_MAX_MS: bad })).toThrow(/LOGIN_DELAY_MAX_MS/);
  });
});
