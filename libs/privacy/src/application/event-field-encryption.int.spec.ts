import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { ERASED, personalDataRegistry } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from '@passerelle/testing';
import { EventFieldEncryption } from './event-field-encryption';
import { PersonalDataVault } from './personal-data-vault';

const registry = personalDataRegistry({
  guests: {
    GuestInvited: { personal: [{ path: 'fullName', subject: 'email' }, { path: 'email', subject: 'email' }], notPersonal: ['country'] },
    GuestBounced: { personal: [{ path: 'reason', subject: { fromEvent: 'GuestInvited', path: 'email' } }], notPersonal: [] },
  },
});

/** Events written about a person after their erasure, on the real PostgreSQL and key database. */
describe('EventFieldEncryption after an erasure', () => {
  let db: TestDatabase;
  let pool: Pool;
  let vault: PersonalDataVault;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('field_encryption');
    pool = new Pool({ connectionString: db.url, max: 4 });
    vault = await PersonalDataVault.open({ keysDatabaseUrl: testDatabaseUrl(`${db.name}_keys`), masterKey: randomBytes(32), cacheSeconds: 60, cacheSize: 100 });
    store = new PostgresEventStore(pool, { personalData: new EventFieldEncryption(vault, registry), notify: false });
  });

  afterAll(async () => {
    store?.close();
    await vault?.close();
    await pool?.end();
    await db?.drop();
  });

  it('writes a later fact about an erased person (a bounce) as erased, and a new invitation to their address under a new subject', async () => {
    await store.append('guest-1', [{ type: 'GuestInvited', data: { fullName: 'Amina Yusuf', email: 'amina.yusuf@ministry.test', country: 'NG' } }], { expectedVersion: 'no_stream' });
    const first = (await store.readStream('guest-1'))[0].subjectIds![0];
    await vault.destroyKey(first);

    await store.append('guest-1', [{ type: 'GuestBounced', data: { reason: '550 mailbox unavailable' } }], { expectedVersion: 1 });
    const bounced = (await pool.query("SELECT data FROM events WHERE stream_id = 'guest-1' AND type = 'GuestBounced'")).rows[0].data;
    expect(bounced.reason).toBe(ERASED);
    expect((await store.readStream('guest-1')).map((e) => e.data)).toEqual([{ fullName: ERASED, email: ERASED, country: 'NG' }, { reason: ERASED }]);

    await store.append('guest-2', [{ type: 'GuestInvited', data: { fullName: 'Amina Yusuf', email: 'Amina.Yusuf@ministry.test', country: 'NG' } }], { expectedVersion: 'no_stream' });
    const [again] = await store.readStream('guest-2');
    expect(again.data).toEqual({ fullName: 'Amina Yusuf', email: 'Amina.Yusuf@ministry.test', country: 'NG' });
    expect(again.subjectIds).toHaveLength(1);
    expect(again.subjectIds![0]).not.toBe(first);
  });
});
