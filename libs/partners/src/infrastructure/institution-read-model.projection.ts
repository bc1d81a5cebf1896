import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import type { PartnerInstitutionEvent } from '../domain/partner-institution.events';

export const INSTITUTION_READ_MODEL = 'institution-read-model';

@Injectable()
export class InstitutionReadModelProjection implements EventConsumer {
  readonly name = INSTITUTION_READ_MODEL;
  readonly categories = ['institution'];

  filter(event: StoredEvent): boolean {
    return event.category === 'institution';
  }

  async handle(events: StoredEvent[], tx: PoolClient): Promise<void> {
    for (const stored of events) {
      const event = stored as StoredEvent & PartnerInstitutionEvent;
      if (event.type === 'InstitutionRegistered') {
        const d = event.data;
        await tx.query(
          `INSERT INTO partner_institutions (id, name, country, website, contacts, registered_at, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [d.institutionId, d.name, d.country, d.website, JSON.stringify([d.contact]), d.registeredAt, event.version],
        );
      } else if (event.type === 'InstitutionContactAdded') {
        await tx.query('UPDATE partner_institutions SET contacts = contacts || $2::jsonb, version = $3 WHERE id = $1', [
          event.data.institutionId,
          JSON.stringify([event.data.contact]),
          event.version,
        ]);
      }
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE partner_institutions');
  }
}
