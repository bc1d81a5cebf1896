import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestKeysDatabase, type TestDatabase } from '@passerelle/testing';
import { masterKey } from '../domain/key-wrap';
import { PersonalDataVault } from './personal-data-vault';
import { rotateMasterKey } from './rotate-master-key';

const context = { streamId: 'partner-3', eventType: 'PartnerContactAdded', field: 'email' };
const ROOT = path.resolve(__dirname, '../../../..');

/** Master-key rotation: every key re-wrapped in batches while processes keep working, old data still readable. */
describe('rotating the master key', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  let keysDb: TestDatabase;
  let admin: Client;
  const opened: PersonalDataVault[] = [];
  const open = async (current: Buffer, previous: Buffer[] = []) => {
    const vault = await PersonalDataVault.open({ keysDatabaseUrl: keysDb.url, masterKey: current, previousMasterKeys: previous, cacheSeconds: 0, cacheSize: 0 });
    opened.push(vault);
    return vault;
  };
  const masterKeyIds = async () =>
    (await admin.query<{ id: string }>('SELECT master_key_id AS id FROM subjects WHERE destroyed_at IS NULL UNION ALL SELECT master_key_id FROM server_keys')).rows.map((r) => r.id);

  beforeAll(async () => {
    keysDb = await createTestKeysDatabase({ name: `passerelle_test_rotation_${randomBytes(4).toString('hex')}` });
    admin = new Client({ connectionString: keysDb.url });
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(opened.map((vault) => vault.close()));
    await admin?.end();
    await keysDb?.drop();
  });

  it('re-wraps every key in batches while a process reads on, and only the new key unwraps afterwards', async () => {
    const before = await open(oldKey);
    const addresses = Array.from({ length: 23 }, (_, i) => `official.${i}@gov.example`);
    const ids = await Promise.all(addresses.map((address) => before.findOrCreateSubject(address)));
    const sealed = await Promise.all(ids.map(async (id, i) => (await before.encrypt(id, addresses[i], context))!));
    await before.destroyKey(ids[22]);
    expect(new Set(await masterKeyIds())).toEqual(new Set([masterKey(oldKey).id]));

    const during = await open(newKey, [oldKey]);
    const batches: number[] = [];
    let reading = true;
    const reads = (async () => {
      let count = 0;
      while (reading) {
        const i = count++ % 22;
        expect(await during.decrypt(sealed[i], context)).toEqual({ status: 'decrypted', subjectId: ids[i], value: addresses[i] });
      }
      return count;
    })();
    const done = await rotateMasterKey({ keysDatabaseUrl: keysDb.url, newMasterKey: newKey, oldMasterKeys: [oldKey], batchSize: 5, onBatch: (p) => batches.push(p.subjectKeys) });
    reading = false;
    expect(await reads).toBeGreaterThan(0);
    expect(done).toEqual({ subjectKeys: 22, serverKeys: 1 });
    expect(batches).toEqual([5, 10, 15, 20, 22]);
    expect(new Set(await masterKeyIds())).toEqual(new Set([masterKey(newKey).id]));

    const after = await open(newKey);
    for (const [i, value] of sealed.entries()) {
      expect(await after.decrypt(value, context)).toEqual(i === 22 ? { status: 'erased', subjectId: ids[22] } : { status: 'decrypted', subjectId: ids[i], value: addresses[i] });
    }
    // The blind-index key was re-wrapped, not replaced: addresses find their subjects as before.
    expect(await after.findOrCreateSubject('OFFICIAL.3@gov.example')).toBe(ids[3]);

    const oldAlone = await open(oldKey);
    await expect(oldAlone.subjectKey(ids[0])).rejects.toThrow(/master key .* this process cannot use/);
    await expect(oldAlone.findSubject(addresses[0])).rejects.toThrow(/does not have/);
  });

  it('runs as npm run privacy:rotate-master-key, again to a newer key, refusing to start before step 1', async () => {
    const newer = randomBytes(32);
    const env = { ...process.env, KEYS_DATABASE_URL: keysDb.url, DATABASE_URL: keysDb.url.replace(/_keys$/, ''), NODE_ENV: 'test', PRIVACY_NEW_MASTER_KEY: newer.toString('base64') };
    const run = (extra: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'scripts/privacy-rotate-master-key.ts'], { cwd: ROOT, env: { ...env, ...extra } });

    await expect(run({ PRIVACY_MASTER_KEY: newKey.toString('base64') })).rejects.toMatchObject({ stderr: expect.stringMatching(/Do step 1 first/) });
    const { stdout } = await run({ PRIVACY_MASTER_KEY: newer.toString('base64'), PRIVACY_PREVIOUS_MASTER_KEYS: newKey.toString('base64'), PRIVACY_ROTATION_BATCH_SIZE: '7' });
    expect(stdout).toMatch(/22 subject keys and 1 server keys re-wrapped/);
    expect(new Set(await masterKeyIds())).toEqual(new Set([masterKey(newer).id]));
    const vault = await open(newer);
    expect(await vault.findSubject('official.0@gov.example')).toMatchObject({ erased: false });
  });
});
