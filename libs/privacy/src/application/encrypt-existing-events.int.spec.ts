import { Pool } from 'pg';
import { personalDataRegistry } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { encryptExistingEvents, PRIVACY_MIGRATION_STREAM } from './encrypt-existing-events';
import { EventFieldEncryption } from './event-field-encryption';
import { PersonalDataVault } from './personal-data-vault';
import { type SealingTestStores, sealingTestStores } from '@passerelle/testing';

/** A participant's address names them; a bounce reason is theirs too, named by the stream's first event. */
const registry = personalDataRegistry({
  guests: {
    GuestInvited: { personal: [{ path: 'fullName', subject: 'email' }, { path: 'email', subject: 'email' }], notPersonal: ['country'] },
    GuestBounced: { personal: [{ path: 'reason', subject: { fromEvent: 'GuestInvited', path: 'email' } }], notPersonal: [] },
    GuestCame: { personal: [], notPersonal: ['at'] },
  },
  privacy: { PersonalDataEncrypted: { personal: [], notPersonal: ['startedAt', 'finishedAt'] } },
});

/**
 * The sealing of existing events, on the real PostgreSQL: half-sealed streams and events, runs that meet
 * events sealed by appends, two runs at once. (test/privacy-encrypt-existing.e2e.spec.ts runs the whole
 * product's database through the command.)
 */
describe('encryptExistingEvents', () => {
  let stores: SealingTestStores;
  let pool: Pool;
  let vault: PersonalDataVault;
  let codec: EventFieldEncryption;
  let sealing: PostgresEventStore;
  let clear: PostgresEventStore;

  beforeAll(async () => {
    stores = await sealingTestStores('encrypt_existing_events', registry);
    ({ pool, vault, codec, sealing, clear } = stores);
  });

  afterAll(() => stores?.close());

  beforeEach(async () => {
    await pool.query('TRUNCATE events, subject_streams, personal_data_encryption');
  });

  const stored = async (streamId: string) => (await pool.query('SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version', [streamId])).rows;
  const subjectOf = (field: string) => field.split('.')[1];

  it('seals a bounce appended to a stream still in clear under the subject its clear address gets', async () => {
    await clear.append('guest-1', [{ type: 'GuestInvited', data: { fullName: 'Amina Yusuf', email: 'Amina.Yusuf@ministry.test', country: 'NG' } }], { expectedVersion: 'no_stream' });
    // Appended by a process that seals, before the command has come to this stream.
    await sealing.append('guest-1', [{ type: 'GuestBounced', data: { reason: '550 <amina.yusuf@ministry.test>: no such user' } }], { expectedVersion: 1 });
    const [invited, bounced] = await stored('guest-1');
    expect(invited.data.email).toBe('Amina.Yusuf@ministry.test');
    expect(bounced.data.reason).toMatch(/^pd1\./);

    const done = await encryptExistingEvents({ store: sealing, codec, registry });
    expect(done).toMatchObject({ eventsEncrypted: 1, fieldsEncrypted: 2, recorded: true });
    const [sealedInvited, sameBounce] = await stored('guest-1');
    expect(sameBounce.data).toEqual(bounced.data);
    expect(subjectOf(sealedInvited.data.email)).toBe(subjectOf(bounced.data.reason));
    expect(subjectOf(sealedInvited.data.fullName)).toBe(subjectOf(bounced.data.reason));
    expect(sealedInvited.data.country).toBe('NG');
    expect((await sealing.readStream('guest-1')).map((event) => event.data)).toEqual([
      { fullName: 'Amina Yusuf', email: 'Amina.Yusuf@ministry.test', country: 'NG' },
      { reason: '550 <amina.yusuf@ministry.test>: no such user' },
    ]);
    expect((await pool.query('SELECT subject_id::text, stream_id FROM subject_streams')).rows).toEqual([{ subject_id: subjectOf(bounced.data.reason), stream_id: 'guest-1' }]);
  });

  it('seals the bounce of a stream whose first event is sealed in the same batch, and the first one first', async () => {
    await clear.append('guest-2', [
      { type: 'GuestInvited', data: { fullName: 'Kofi Mensah', email: 'kofi@ghana.test', country: 'GH' } },
      { type: 'GuestCame', data: { at: '2030-01-01' } },
      { type: 'GuestBounced', data: { reason: 'mailbox of kofi@ghana.test full' } },
    ], { expectedVersion: 'no_stream' });
    const done = await encryptExistingEvents({ store: sealing, codec, registry, batchSize: 10 });
    expect(done).toMatchObject({ eventsEncrypted: 2, fieldsEncrypted: 3, batches: 1 });
    const [invited, came, bounced] = await stored('guest-2');
    expect(subjectOf(bounced.data.reason)).toBe(subjectOf(invited.data.email));
    expect(came.data).toEqual({ at: '2030-01-01' });
  });

  it('leaves a sealed field as it is, takes the subject from a sealed address, and seals nothing twice', async () => {
    await sealing.append('guest-3', [{ type: 'GuestInvited', data: { fullName: 'Lina Haddad', email: 'lina@haddad.test', country: 'LB' } }], { expectedVersion: 'no_stream' });
    const [appended] = await stored('guest-3');
    // A name left in clear beside a sealed address (as a hand-made repair might leave it).
    await pool.query("UPDATE events SET data = jsonb_set(data, '{fullName}', '\"Lina Haddad\"') WHERE stream_id = 'guest-3'");

    const first = await codec.sealStored({ streamId: 'guest-3', type: 'GuestInvited', data: (await stored('guest-3'))[0].data }, pool);
    expect(first.fieldsSealed).toBe(1);
    const data = first.data as Record<string, string>;
    expect(data.email).toBe(appended.data.email);
    expect(subjectOf(data.fullName)).toBe(subjectOf(appended.data.email));
    const again = await codec.sealStored({ streamId: 'guest-3', type: 'GuestInvited', data }, pool);
    expect(again).toEqual({ data, subjectIds: [subjectOf(data.email)], fieldsSealed: 0 });

    await encryptExistingEvents({ store: sealing, codec, registry });
    const [repaired] = await stored('guest-3');
    expect(repaired.data.email).toBe(appended.data.email);
    expect((await sealing.readStream('guest-3'))[0].data).toEqual({ fullName: 'Lina Haddad', email: 'lina@haddad.test', country: 'LB' });
  });

  it('lets two runs at once take turns: every event sealed once, counted once, recorded once', async () => {
    for (let i = 0; i < 30; i += 1) {
      await clear.append(`guest-many${i}`, [{ type: 'GuestInvited', data: { fullName: `Guest ${i}`, email: `guest${i}@many.test`, country: 'FR' } }], { expectedVersion: 'no_stream' });
    }
    const runs = await Promise.all([1, 2].map(() => encryptExistingEvents({ store: sealing, codec, registry, batchSize: 4 })));
    expect(runs[0].eventsEncrypted + runs[1].eventsEncrypted).toBe(30);
    expect(runs.filter((run) => run.recorded)).toHaveLength(1);
    const fields = (await pool.query("SELECT data->>'fullName' AS name FROM events WHERE type = 'GuestInvited'")).rows.map((row) => row.name);
    expect(fields.every((name: string) => /^pd1\.[0-9a-f-]{36}\.[^.]+\.[^.]+$/.test(name))).toBe(true);
    const record = (await pool.query('SELECT data FROM events WHERE stream_id = $1', [PRIVACY_MIGRATION_STREAM])).rows;
    expect(record).toEqual([{ data: expect.objectContaining({ eventsEncrypted: 30, fieldsEncrypted: 60 }) }]);
    const again = await encryptExistingEvents({ store: sealing, codec, registry, batchSize: 4 });
    expect(again).toMatchObject({ eventsEncrypted: 0, recorded: false });
  });
});
