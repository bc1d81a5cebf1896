import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';

export const MINISTRY_READ_MODEL = 'ministry-read-model';

@Injectable()
export class MinistryReadModelProjection implements EventConsumer {
  readonly name = MINISTRY_READ_MODEL;
  readonly categories = ['ministry'];

  filter(event: StoredEvent): boolean {
    return event.category === 'ministry';
  }

  async handle(events: StoredEvent[], tx: PoolClient): Promise<void> {
    for (const event of events) {
      const d = event.data;
      await tx.query(
        `INSERT INTO ministries (country, ministry_name, email, language, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (country) DO UPDATE SET ministry_name = $2, email = $3, language = $4, updated_at = $5, version = $6`,
        [d.country, d.ministryName, d.email, d.language, event.recordedAt, event.version],
      );
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE ministries');
  }
}
