import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { PartnerInstitutionEvent } from './partner-institution.events';

/** A contact's own address names them. */
const contact = 'contact.email';

/**
 * Which fields of a partner institution's events are personal (STYLE.md habit 5). The contact's name and
 * address are, and theirs. The institution's name, country and website are not: they are an organisation's,
 * not a person's. The contact's language and account id are not personal by themselves.
 */
export const partnerInstitutionPersonalData: PersonalDataDeclaration<PartnerInstitutionEvent> = {
  InstitutionRegistered: {
    personal: [
      { path: 'contact.fullName', subject: contact },
      { path: 'contact.email', subject: contact },
    ],
    notPersonal: ['institutionId', 'name', 'country', 'website', 'contact.userId', 'contact.language', 'registeredAt'],
  },
  InstitutionContactAdded: {
    personal: [
      { path: 'contact.fullName', subject: contact },
      { path: 'contact.email', subject: contact },
    ],
    notPersonal: ['institutionId', 'contact.userId', 'contact.language', 'addedAt'],
  },
};
