import { Injectable } from '@nestjs/common';
import { ERASED, type StoredEvent } from '@passerelle/event-store-core';
import { type ConsumerTransaction, TypedConsumer } from '@passerelle/event-store-postgres';
import type { SubjectEvent } from '@passerelle/privacy';
import type { MinistryEvent } from '../domain/ministry.events';

export const MINISTRY_READ_MODEL = 'ministry-read-model';

/**
 * Each country's ministry contact as it now stands, with the contact's subject id: their erasure
 * (`PersonalDataErased`) strikes out the address if they are still the contact, and marks the row
 * `personal_data_erased`; an earlier contact's erasure changes nothing here. Rebuilt after an erasure,
 * the row is the same: the contact's events then read `[erased]` and say so.
 */
@Injectable()
export class MinistryReadModelProjection extends TypedConsumer<MinistryEvent | SubjectEvent> {
  constructor() {
    super({
      name: MINISTRY_READ_MODEL,
      categories: ['ministry', 'subject'],
      handlers: {
        MinistryContactSet: upsert,
        MinistryContactChanged: upsert,
        PersonalDataErased: async (event, tx) => {
          await tx.query('UPDATE ministries SET email = $2, personal_data_erased = true WHERE subject_id = $1', [event.data.subjectId, ERASED]);
        },
      },
      reset: async (tx) => {
        await tx.query('TRUNCATE ministries');
      },
    });
  }
}

/** The contact as it now stands, whether set for the first time or changed. */
async function upsert(event: StoredEvent<MinistryEvent>, tx: ConsumerTransaction): Promise<void> {
  const d = event.data;
  await tx.query(
    `INSERT INTO ministries (country, ministry_name, email, language, updated_at, version, subject_id, personal_data_erased) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (country) DO UPDATE SET ministry_name = $2, email = $3, language = $4, updated_at = $5, version = $6, subject_id = $7, personal_data_erased = $8`,
    [d.country, d.ministryName, d.email, d.language, event.recordedAt, event.version, event.subjectIds?.[0] ?? null, event.personalDataErased === true],
  );
}
