import { Injectable } from '@nestjs/common';
import { ERASED } from '@passerelle/event-store-core';
import { type StoredEventOf, TypedConsumer } from '@passerelle/event-store-postgres';
import type { SubjectEvent } from '@passerelle/privacy';
import type { PartnerInstitutionEvent } from '../domain/partner-institution.events';

export const INSTITUTION_READ_MODEL = 'institution-read-model';

type ContactEvent = StoredEventOf<PartnerInstitutionEvent, 'InstitutionRegistered' | 'InstitutionContactAdded'>;

/**
 * Partner institutions and their contacts. Each contact keeps their subject id (`subjectId`, never
 * answered): their erasure (`PersonalDataErased`) strikes out their name and address and marks them
 * `personalDataErased`; the institution and its other contacts stay as they were. Rebuilt after an
 * erasure, the contacts are the same: the contact's events then read `[erased]` and say so.
 */
@Injectable()
export class InstitutionReadModelProjection extends TypedConsumer<PartnerInstitutionEvent | SubjectEvent> {
  constructor() {
    super({
      name: INSTITUTION_READ_MODEL,
      categories: ['institution', 'subject'],
      handlers: {
        InstitutionRegistered: async (event, tx) => {
          const d = event.data;
          await tx.query(
            `INSERT INTO partner_institutions (id, name, country, website, contacts, registered_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
            [d.institutionId, d.name, d.country, d.website, JSON.stringify([storedContact(event)]), d.registeredAt, event.version],
          );
        },
        InstitutionContactAdded: async (event, tx) => {
          await tx.query('UPDATE partner_institutions SET contacts = contacts || $2::jsonb, version = $3 WHERE id = $1', [
            event.data.institutionId,
            JSON.stringify([storedContact(event)]),
            event.version,
          ]);
        },
        PersonalDataErased: async (event, tx) => {
          // Found through the contacts' GIN index; the contacts keep their order.
          await tx.query(
            `UPDATE partner_institutions p SET contacts = (
               SELECT jsonb_agg(CASE WHEN c.contact->>'subjectId' = $1 THEN c.contact || $2::jsonb ELSE c.contact END ORDER BY c.n)
               FROM jsonb_array_elements(p.contacts) WITH ORDINALITY AS c(contact, n))
             WHERE p.contacts @> $3::jsonb`,
            [
              event.data.subjectId,
              JSON.stringify({ fullName: ERASED, email: ERASED, personalDataErased: true }),
              JSON.stringify([{ subjectId: event.data.subjectId }]),
            ],
          );
        },
      },
      reset: async (tx) => {
        await tx.query('TRUNCATE partner_institutions');
      },
    });
  }
}

/** A contact as the read model keeps it: with their subject id, and marked if they were erased before this read (a rebuild). */
function storedContact(event: ContactEvent): Record<string, unknown> {
  const subjectId = event.subjectIds?.[0];
  return {
    ...event.data.contact,
    ...(subjectId ? { subjectId } : {}),
    ...(event.personalDataErased ? { personalDataErased: true } : {}),
  };
}
