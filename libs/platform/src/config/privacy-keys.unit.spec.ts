import { randomBytes } from 'node:crypto';
import { loadConfig } from './app-config';
import { DEVELOPMENT_MASTER_KEY } from './privacy-keys';

const KEY = randomBytes(32);
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };

describe('privacy configuration', () => {
  it('puts the key database beside the main one, named <name>_keys, unless KEYS_DATABASE_URL says otherwise', () => {
    expect(loadConfig({}).keysDatabaseUrl).toBe('postgres://postgres@127.0.0.1:5432/passerelle_keys');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:6543/programme' }).keysDatabaseUrl).toBe('postgresql://u:p@db:6543/programme_keys');
    expect(loadConfig({ KEYS_DATABASE_URL: 'postgres://k@vault:5432/keys' }).keysDatabaseUrl).toBe('postgres://k@vault:5432/keys');
  });

  it('refuses a key database that is the event database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://a@db:5432/p', KEYS_DATABASE_URL: 'postgres://b@DB/p' })).toThrow(/KEYS_DATABASE_URL must name another database/);
    expect(() => loadConfig({ KEYS_DATABASE_URL: 'mysql://db/keys' })).toThrow(/KEYS_DATABASE_URL/);
  });

  it('requires PRIVACY_MASTER_KEY in production, naming it, and takes 32 bytes of base64 or base64url', () => {
    expect(() => loadConfig(PRODUCTION)).toThrow(/PRIVACY_MASTER_KEY is required in production/);
    expect(loadConfig({ ...PRODUCTION, PRIVACY_MASTER_KEY: KEY.toString('base64') }).privacyMasterKey).toEqual(KEY);
    expect(loadConfig({ PRIVACY_MASTER_KEY: KEY.toString('base64url') }).privacyMasterKey).toEqual(KEY);
  });

  it('falls back on a fixed development key outside production', () => {
    expect(loadConfig({}).privacyMasterKey).toEqual(DEVELOPMENT_MASTER_KEY);
    expect(loadConfig({ NODE_ENV: 'test' }).privacyMasterKey).toHaveLength(32);
  });

  it('refuses a master key that is not 32 bytes, without quoting it', () => {
    for (const bad of [randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), 'not a key!', 'passphrase']) {
      try {
        loadConfig({ PRIVACY_MASTER_KEY: bad });
        throw new Error('accepted');
      } catch (err) {
        expect((err as Error).message).toMatch(/PRIVACY_MASTER_KEY must be 32 bytes/);
        expect((err as Error).message).not.toContain(bad);
      }
    }
  });

  it('reads the previous master keys as a comma-separated list and names a bad entry', () => {
    const other = randomBytes(32);
    const config = loadConfig({ PRIVACY_PREVIOUS_MASTER_KEYS: ` ${KEY.toString('base64')} ,${other.toString('base64')},` });
    expect(config.privacyPreviousMasterKeys).toEqual([KEY, other]);
    expect(loadConfig({}).privacyPreviousMasterKeys).toEqual([]);
    expect(() => loadConfig({ PRIVACY_PREVIOUS_MASTER_KEYS: `${KEY.toString('base64')},short` })).toThrow(/PRIVACY_PREVIOUS_MASTER_KEYS: entry 2/);
  });

  it('caches keys 60 s and 10,000 of them by default, within bounds', () => {
    expect(loadConfig({})).toMatchObject({ PRIVACY_KEY_CACHE_SECONDS: 60, PRIVACY_KEY_CACHE_SIZE: 10_000 });
    expect(loadConfig({ PRIVACY_KEY_CACHE_SECONDS: '0', PRIVACY_KEY_CACHE_SIZE: '0' })).toMatchObject({ PRIVACY_KEY_CACHE_SECONDS: 0, PRIVACY_KEY_CACHE_SIZE: 0 });
    for (const bad of ['-1', '3601', 'soon']) expect(() => loadConfig({ PRIVACY_KEY_CACHE_SECONDS: bad })).toThrow(/PRIVACY_KEY_CACHE_SECONDS/);
    expect(() => loadConfig({ PRIVACY_KEY_CACHE_SIZE: '-5' })).toThrow(/PRIVACY_KEY_CACHE_SIZE/);
  });
});
