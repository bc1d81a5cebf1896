import { Pool } from 'pg';
import { ERASED, personalDataRegistry } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { PersonalDataVault } from './personal-data-vault';
import { type SealingTestStores, sealingTestStores } from '@passerelle/testing';

const registry = personalDataRegistry({
  guests: {
    GuestInvited: { personal: [{ path: 'fullName', subject: 'email' }, { path: 'email', subject: 'email' }], notPersonal: ['country'] },
    GuestBounced: { personal: [{ path: 'reason', subject: { fromEvent: 'GuestInvited', path: 'email' } }], notPersonal: [] },
  },
});

/** Events written about a person after their erasure, on the real PostgreSQL and key database. */
describe('EventFieldEncryption after an erasure', () => {
  let stores: SealingTestStores;
  let pool: Pool;
  let vault: PersonalDataVault;
  let sealing: PostgresEventStore;

  beforeAll(async () => {
    stores = await sealingTestStores('field_encryption', registry);
    ({ pool, vault, sealing } = stores);
  });

  afterAll(() => stores?.close());

  it('writes a later fact about an erased person (a bounce) as erased, and a new invitation to their address under a new subject', async () => {
    await sealing.append('guest-1', [{ type: 'GuestInvited', data: { fullName: 'Amina Yusuf', email: 'amina.yusuf@ministry.test', country: 'NG' } }], { expectedVersion: 'no_stream' });
    const first = (await sealing.readStream('guest-1'))[0].subjectIds![0];
    await vault.destroyKey(first);

    await sealing.append('guest-1', [{ type: 'GuestBounced', data: { reason: '550 mailbox unavailable' } }], { expectedVersion: 1 });
    const bounced = (await pool.query("SELECT data FROM events WHERE stream_id = 'guest-1' AND type = 'GuestBounced'")).rows[0].data;
    expect(bounced.reason).toBe(ERASED);
    expect((await sealing.readStream('guest-1')).map((e) => e.data)).toEqual([{ fullName: ERASED, email: ERASED, country: 'NG' }, { reason: ERASED }]);

    await sealing.append('guest-2', [{ type: 'GuestInvited', data: { fullName: 'Amina Yusuf', email: 'Amina.Yusuf@ministry.test', country: 'NG' } }], { expectedVersion: 'no_stream' });
    const [again] = await sealing.readStream('guest-2');
    expect(again.data).toEqual({ fullName: 'Amina Yusuf', email: 'Amina.Yusuf@ministry.test', country: 'NG' });
    expect(again.subjectIds).toHaveLength(1);
    expect(again.subjectIds![0]).not.toBe(first);
  });
});
