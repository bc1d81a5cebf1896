import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@passerelle/event-store-core';
import { type ConsumerTransaction, TypedConsumer } from '@passerelle/event-store-postgres';
import type { MinistryEvent } from '../domain/ministry.events';

export const MINISTRY_READ_MODEL = 'ministry-read-model';

@Injectable()
export class MinistryReadModelProjection extends TypedConsumer<MinistryEvent> {
  constructor() {
    super({
      name: MINISTRY_READ_MODEL,
      categories: ['ministry'],
      handlers: { MinistryContactSet: upsert, MinistryContactChanged: upsert },
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
    `INSERT INTO ministries (country, ministry_name, email, language, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (country) DO UPDATE SET ministry_name = $2, email = $3, language = $4, updated_at = $5, version = $6`,
    [d.country, d.ministryName, d.email, d.language, event.recordedAt, event.version],
  );
}
