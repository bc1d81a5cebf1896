import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestKeysDatabase, type TestDatabase, testPool } from '@passerelle/testing';
import { MasterKeyRing } from '../domain/master-key-ring';
import { prepareKeysDatabase } from '../infrastructure/key-database';
import { BLIND_INDEX_KEY, serverKey } from '../infrastructure/server-keys';
import { PersonalDataVault } from './personal-data-vault';

/** Subjects in the key database (issue 20): found case-blind, made once under races, and no address or key in clear. */
describe('subjects and their keys in the key database', () => {
  const masterKey = randomBytes(32);
  let keysDb: TestDatabase;
  let one: PersonalDataVault;
  let two: PersonalDataVault;

  beforeAll(async () => {
    keysDb = await createTestKeysDatabase({ name: `passerelle_test_subjects_${randomBytes(4).toString('hex')}` });
    const options = { keysDatabaseUrl: keysDb.url, masterKey, cacheSeconds: 60, cacheSize: 100 };
    [one, two] = await Promise.all([PersonalDataVault.open(options), PersonalDataVault.open(options)]);
  });

  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await keysDb?.drop();
  });

  it('creates the key database and applies its migration once, whoever starts first', async () => {
    const applied = await Promise.all([prepareKeysDatabase(keysDb.url), prepareKeysDatabase(keysDb.url)]);
    expect(applied).toEqual([[], []]);
    const client = new Client({ connectionString: keysDb.url });
    await client.connect();
    const { rows } = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    await client.end();
    expect(rows.map((row) => row.table_name)).toEqual(['migrations', 'server_keys', 'subjects']);
  });

  it('caches the key of a subject it makes, the very key the key database holds', async () => {
    const before = one.cachedKeys;
    const id = await one.findOrCreateSubject('wanjiru.kamau@health.go.ke');
    expect(one.cachedKeys).toBe(before + 1);
    const context = { streamId: 'invitation-1', eventType: 'InvitationIssued', field: 'fullName' };
    const sealed = await one.encrypt(id, 'Wanjiru Kamau', context);
    expect(await two.decrypt(sealed!, context)).toEqual({ status: 'decrypted', subjectId: id, value: 'Wanjiru Kamau' });
    // Found, not made: nothing new to cache from the answer.
    const cached = two.cachedKeys;
    await two.findOrCreateSubject('WANJIRU.KAMAU@health.go.ke');
    expect(two.cachedKeys).toBe(cached);
  });

  it('finds a subject again by its address in any case, spacing or Unicode form, with a random id', async () => {
    const id = await one.findOrCreateSubject('Ana.Souza@Example.org');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await one.findOrCreateSubject('  ana.souza@EXAMPLE.ORG ')).toBe(id);
    expect(await two.findOrCreateSubject('ANA.SOUZA@example.org')).toBe(id);
    expect(await two.findSubject('ana.souza@example.org')).toEqual({ subjectId: id, erased: false });
    expect(await two.subject(id)).toEqual({ subjectId: id, erased: false });
    expect(await two.subject('6f1c0f1e-6a55-4b7e-9d55-1b1f2f3e4d5c')).toBeUndefined();
    expect(await two.subject("'; DROP TABLE subjects; --")).toBeUndefined();
    expect(await one.findOrCreateSubject('ana.souza@example.com')).not.toBe(id);
    expect(await one.findSubject('nobody@example.org')).toBeUndefined();
    expect(await one.findOrCreateSubject('jose\u0301@exemplo.br')).toBe(await two.findOrCreateSubject('JOSÉ@exemplo.br'));
  });

  it('gives every caller the same subject when two processes register an address at once', async () => {
    const variants = ['Wei.Zhang@gov.cn', 'wei.zhang@gov.cn', 'WEI.ZHANG@GOV.CN', ' wei.Zhang@gov.cn'];
    const ids = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? one : two).findOrCreateSubject(variants[i % variants.length])));
    expect(new Set(ids).size).toBe(1);
    const client = new Client({ connectionString: keysDb.url });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM subjects WHERE subject_id = $1', [ids[0]]);
    await client.end();
    expect(rows[0].n).toBe(1);
    expect(await one.findSubject('wei.zhang@gov.cn')).toEqual({ subjectId: ids[0], erased: false });
  });

  it('finds or makes many subjects in one statement, as one at a time would, two spellings sharing one', async () => {
    const known = await one.findOrCreateSubject('Kofi.Mensah@moc.gov.gh');
    const before = one.cachedKeys;
    const ids = await one.findOrCreateSubjects(['kofi.mensah@moc.gov.gh', 'Aigerim.Nurlanovna@digital.gov.kz', 'AIGERIM.NURLANOVNA@digital.gov.kz', 'Tariq.Jamil@moitt.gov.pk']);
    expect(ids.get('kofi.mensah@moc.gov.gh')).toBe(known);
    expect(ids.get('Aigerim.Nurlanovna@digital.gov.kz')).toBe(ids.get('AIGERIM.NURLANOVNA@digital.gov.kz'));
    expect(new Set(ids.values()).size).toBe(3);
    expect(one.cachedKeys).toBe(before + 2); // the two made now
    expect(await two.findOrCreateSubject('aigerim.nurlanovna@digital.gov.kz')).toBe(ids.get('Aigerim.Nurlanovna@digital.gov.kz'));
    expect(await two.findOrCreateSubject('tariq.jamil@moitt.gov.pk')).toBe(ids.get('Tariq.Jamil@moitt.gov.pk'));
    // Erased since: a batch gives the address a new subject.
    await one.destroyKey(known);
    const again = await two.findOrCreateSubjects(['kofi.mensah@moc.gov.gh', 'someone.else@moc.gov.gh']);
    expect(again.get('kofi.mensah@moc.gov.gh')).not.toBe(known);
  });

  it('finds an erased subject as erased, and gives the address a new subject afterwards', async () => {
    const id = await one.findOrCreateSubject('siti@kemlu.go.id');
    expect(await one.destroyKey(id)).toMatchObject({ outcome: 'destroyed', subjectId: id });
    expect(await two.findSubject('SITI@kemlu.go.id')).toMatchObject({ subjectId: id, erased: true, erasedAt: expect.any(Date) });
    expect(await two.subject(id)).toMatchObject({ subjectId: id, erased: true, erasedAt: expect.any(Date) });
    const again = await two.findOrCreateSubject('siti@kemlu.go.id');
    expect(again).not.toBe(id);
    expect(await one.findSubject('siti@kemlu.go.id')).toEqual({ subjectId: again, erased: false });
  });

  it('keeps no address, no subject key and no blind-index key in clear anywhere in the key database', async () => {
    const addresses = ['Mwila.Banda@mof.gov.zm', 'aigerim.n@gov.kz', 'li.na@mofcom.gov.cn'];
    const ids = await Promise.all(addresses.map((address) => one.findOrCreateSubject(address)));
    const keys = await Promise.all(ids.map(async (id) => (await two.subjectKey(id)) as { key: Buffer }));
    const pool = testPool(keysDb.url, 1);
    const blindKey = await serverKey(pool, new MasterKeyRing(masterKey), BLIND_INDEX_KEY);
    await pool.end();

    const client = new Client({ connectionString: keysDb.url });
    await client.connect();
    const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    const dump: string[] = [];
    for (const { table_name } of tables.rows) {
      const { rows } = await client.query(`SELECT * FROM "${table_name}"`);
      for (const row of rows) {
        for (const value of Object.values(row)) {
          if (Buffer.isBuffer(value)) dump.push(value.toString('hex'), value.toString('base64'), value.toString('latin1'));
          else dump.push(String(value));
        }
      }
    }
    await client.end();
    const text = dump.join('\n').toLowerCase();

    expect(text).toContain(ids[0]);
    for (const address of addresses) {
      for (const form of [address, address.split('@')[0], Buffer.from(address.toLowerCase()).toString('base64')]) expect(text).not.toContain(form.toLowerCase());
    }
    for (const secret of [...keys.map((k) => k.key), blindKey]) {
      expect(text).not.toContain(secret.toString('hex'));
      expect(text).not.toContain(secret.toString('base64').toLowerCase());
      expect(text).not.toContain(secret.toString('latin1').toLowerCase());
    }
  });
});
