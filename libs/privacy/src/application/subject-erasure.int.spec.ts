import { Pool } from 'pg';
import { ERASED, personalDataRegistry } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { encryptExistingEvents } from './encrypt-existing-events';
import { EventFieldEncryption } from './event-field-encryption';
import { PersonalDataVault } from './personal-data-vault';
import { SubjectErasure } from './subject-erasure';
import { type SealingTestStores, sealingTestStores } from '@passerelle/testing';

const registry = personalDataRegistry({
  guests: { GuestInvited: { personal: [{ path: 'fullName', subject: 'email' }, { path: 'email', subject: 'email' }], notPersonal: ['country'] } },
  privacy: { PersonalDataEncrypted: { personal: [], notPersonal: ['startedAt', 'finishedAt'] } },
});

/** A database upgraded with events in clear: no one is erased until they are sealed. */
describe('SubjectErasure on a database holding events written in clear', () => {
  let stores: SealingTestStores;
  let pool: Pool;
  let vault: PersonalDataVault;
  let codec: EventFieldEncryption;
  let sealing: PostgresEventStore;
  let clear: PostgresEventStore;

  beforeAll(async () => {
    stores = await sealingTestStores('erasure_clear_events', registry);
    ({ pool, vault, codec, sealing, clear } = stores);
  });

  afterAll(() => stores?.close());

  it('refuses to erase (personal_data_not_sealed) until privacy:encrypt-existing has sealed them, then erases them too', async () => {
    // Written before this version: in clear; the upgrade's migration noted how far.
    await clear.append('guest-1', [{ type: 'GuestInvited', data: { fullName: 'Lindiwe Banda', email: 'lindiwe.banda@mict.gov.zm', country: 'ZM' } }], { expectedVersion: 'no_stream' });
    await pool.query('INSERT INTO clear_events (through_position) SELECT max(position) FROM events');
    // Written after it: sealed.
    await sealing.append('guest-2', [{ type: 'GuestInvited', data: { fullName: 'Lindiwe Banda', email: 'Lindiwe.Banda@mict.gov.zm', country: 'ZM' } }], { expectedVersion: 'no_stream' });
    const subjectId = (await vault.findSubject('lindiwe.banda@mict.gov.zm'))!.subjectId;
    const erasure = new SubjectErasure(vault, sealing);
    const request = { reason: 'asked', basis: 'request' as const, actor: null, now: Date.now() };

    await expect(erasure.erase(subjectId, request)).rejects.toMatchObject({ code: 'personal_data_not_sealed' });
    expect((await vault.subject(subjectId))?.erased).toBe(false);

    await encryptExistingEvents({ store: sealing, codec, registry });
    const outcome = await erasure.erase(subjectId, request);
    expect(outcome.streamIds.sort()).toEqual(['guest-1', 'guest-2']);
    for (const streamId of ['guest-1', 'guest-2']) expect((await sealing.readStream(streamId))[0].data).toEqual({ fullName: ERASED, email: ERASED, country: 'ZM' });
  });
});
