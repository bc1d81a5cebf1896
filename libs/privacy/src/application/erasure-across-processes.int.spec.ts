import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestKeysDatabase, type TestDatabase, waitFor } from '@passerelle/testing';
import { LISTENER_APPLICATION_NAME } from '../infrastructure/key-eviction-listener';
import { PersonalDataVault, type VaultOptions } from './personal-data-vault';

const context = { streamId: 'workshop-7', eventType: 'InvitationIssued', field: 'fullName' };

/**
 * Two processes (two vaults, each with its own pool and LISTEN connection): once one destroys a
 * subject's key, the other never decrypts that subject again, even with the key in its cache.
 */
describe('erasure seen by every process', () => {
  const masterKey = randomBytes(32);
  let keysDb: TestDatabase;
  let admin: Client;
  const opened: PersonalDataVault[] = [];
  const problems: Error[] = [];

  const open = async (extra: Partial<VaultOptions> = {}) => {
    const vault = await PersonalDataVault.open({ keysDatabaseUrl: keysDb.url, masterKey, cacheSeconds: 3600, cacheSize: 100, onProblem: (err) => problems.push(err), ...extra });
    opened.push(vault);
    return vault;
  };

  /** Destroys a key behind the processes' backs: no NOTIFY, as if the notice were lost. */
  const destroySilently = (subjectId: string) =>
    admin.query('UPDATE subjects SET wrapped_key = NULL, master_key_id = NULL, destroyed_at = now() WHERE subject_id = $1', [subjectId]);

  beforeAll(async () => {
    keysDb = await createTestKeysDatabase({ name: `passerelle_test_erasure_${randomBytes(4).toString('hex')}` });
    admin = new Client({ connectionString: keysDb.url });
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(opened.map((vault) => vault.close()));
    await admin?.end();
    await keysDb?.drop();
  });

  it('evicts a destroyed key from the other process at once, through NOTIFY, though it would cache it for an hour', async () => {
    const [writer, reader] = await Promise.all([open(), open()]);
    const subjectId = await writer.findOrCreateSubject('mwila.banda@mof.gov.zm');
    const sealed = (await writer.encrypt(subjectId, 'Mwila Banda', context))!;
    expect(await reader.decrypt(sealed, context)).toEqual({ status: 'decrypted', subjectId, value: 'Mwila Banda' });
    expect(reader.cachedKeys).toBe(1);

    expect(await writer.destroyKey(subjectId)).toMatchObject({ outcome: 'destroyed', subjectId });
    expect(await writer.decrypt(sealed, context)).toEqual({ status: 'erased', subjectId });
    await waitFor(async () => (await reader.decrypt(sealed, context)).status === 'erased', { timeoutMs: 2000, what: 'the other process to see the erasure' });
    expect(reader.cachedKeys).toBe(0);
    expect(await reader.encrypt(subjectId, 'Mwila Banda', context)).toBeUndefined();
  });

  it('says so when a key is destroyed twice, or was never there', async () => {
    const [first, second] = await Promise.all([open(), open()]);
    const subjectId = await first.findOrCreateSubject('aigerim@gov.kz');
    const outcomes = await Promise.all([first.destroyKey(subjectId), second.destroyKey(subjectId)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_destroyed', 'destroyed']);
    const [a, b] = outcomes as Array<{ destroyedAt: Date }>;
    expect(a.destroyedAt).toEqual(b.destroyedAt);
    expect(await first.destroyKey('6f1c0f1e-6a55-4b7e-9d55-1b1f2f3e4d5c')).toEqual({ outcome: 'unknown', subjectId: '6f1c0f1e-6a55-4b7e-9d55-1b1f2f3e4d5c' });
    expect(await first.destroyKey('not-an-id')).toEqual({ outcome: 'unknown', subjectId: 'not-an-id' });
    const { rows } = await admin.query('SELECT wrapped_key, master_key_id, destroyed_at, blind_index FROM subjects WHERE subject_id = $1', [subjectId]);
    expect(rows[0]).toMatchObject({ wrapped_key: null, master_key_id: null, destroyed_at: expect.any(Date) });
  });

  it('stops serving a key whose notice was lost within the cache time (here 1 s), serving it until then', async () => {
    const reader = await open({ cacheSeconds: 1 });
    const subjectId = await reader.findOrCreateSubject('li.na@mofcom.gov.cn');
    const sealed = (await reader.encrypt(subjectId, 'Li Na', context))!;
    await destroySilently(subjectId);
    expect(await reader.decrypt(sealed, context)).toMatchObject({ status: 'decrypted' });
    await waitFor(async () => (await reader.decrypt(sealed, context)).status === 'erased', { timeoutMs: 3000, what: 'the cached key to expire' });
  });

  it('empties and closes the cache when its LISTEN connection drops, and listens again', async () => {
    const reader = await open();
    const subjectId = await reader.findOrCreateSubject('siti@kemlu.go.id');
    const sealed = (await reader.encrypt(subjectId, 'Siti Rahma', context))!;
    expect(await reader.decrypt(sealed, context)).toMatchObject({ status: 'decrypted' });
    expect(reader.cachedKeys).toBe(1);

    const before = problems.length;
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [keysDb.name, LISTENER_APPLICATION_NAME]);
    // Every vault's listener is cut, and each logs it: wait for this reader's own cache to be emptied.
    await waitFor(() => problems.length > before && reader.cachedKeys === 0, { what: "the LISTEN connection to be lost and the reader's cache emptied" });
    // No NOTIFY here: only the emptied cache can make the key unreadable now.
    await destroySilently(subjectId);
    expect(await reader.decrypt(sealed, context)).toEqual({ status: 'erased', subjectId });
    await waitFor(() => opened.every((vault) => vault.listening), { what: 'every process to listen again' });

    const other = await reader.findOrCreateSubject('ana@itamaraty.gov.br');
    const again = (await reader.encrypt(other, 'Ana', context))!;
    expect(await reader.decrypt(again, context)).toMatchObject({ status: 'decrypted' });
    expect(reader.cachedKeys).toBe(1);
    await opened[0].destroyKey(other);
    await waitFor(async () => (await reader.decrypt(again, context)).status === 'erased', { timeoutMs: 2000, what: 'the notice after reconnecting' });
  });
});
