import { Injectable } from '@nestjs/common';
import { TypedConsumer } from '@passerelle/event-store-postgres';
import type { PartnerInstitutionEvent } from '../domain/partner-institution.events';

export const INSTITUTION_READ_MODEL = 'institution-read-model';

@Injectable()
export class InstitutionReadModelProjection extends TypedConsumer<PartnerInstitutionEvent> {
  constructor() {
    super({
      name: INSTITUTION_READ_MODEL,
      categories: ['institution'],
      handlers: {
        InstitutionRegistered: async (event, tx) => {
          const d = event.data;
          await tx.query(
            `INSERT INTO partner_institutions (id, name, country, website, contacts, registered_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
            [d.institutionId, d.name, d.country, d.website, JSON.stringify([d.contact]), d.registeredAt, event.version],
          );
        },
        InstitutionContactAdded: async (event, tx) => {
          await tx.query('UPDATE partner_institutions SET contacts = contacts || $2::jsonb, version = $3 WHERE id = $1', [
            event.data.institutionId,
            JSON.stringify([event.data.contact]),
            event.version,
          ]);
        },
      },
      reset: async (tx) => {
        await tx.query('TRUNCATE partner_institutions');
      },
    });
  }
}
