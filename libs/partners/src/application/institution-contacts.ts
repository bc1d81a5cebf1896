import { ERASED } from '@passerelle/event-store-core';
import type { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { InstitutionContact, PartnerInstitutionEvent } from '../domain/partner-institution.events';
import { institutionStream } from './change-institution';

/** An institution's name and the contacts one can still write to. */
export interface InstitutionToWrite {
  name: string;
  contacts: InstitutionContact[];
}

/**
 * The institution's name and contacts as its own stream has them (the read model may lag a contact
 * just added), without the erased ones (their address reads `[erased]`: no one to write to). What
 * every reminder to a partner institution is addressed from.
 */
export async function institutionToWrite(store: PostgresEventStore, institutionId: string): Promise<InstitutionToWrite> {
  const events = await store.readStream<PartnerInstitutionEvent>(institutionStream(institutionId));
  let name = '';
  const contacts: InstitutionContact[] = [];
  for (const event of events) {
    if (event.type === 'InstitutionRegistered') name = event.data.name;
    if (event.data.contact.email !== ERASED) contacts.push(event.data.contact);
  }
  return { name, contacts };
}
