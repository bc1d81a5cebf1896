import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { MinistryEvent } from './ministry.events';
import type { ReportEvent } from './report.events';

/** The ministry contact's address names them. */
const ministryContact = 'email';

const recipient = ['country', 'ministry', 'language'] as const;

/**
 * Which fields of the reporting context's events are personal (STYLE.md habit 5), for both of its streams:
 * a country's ministry contact and a workshop's report.
 *
 * A ministry contact's address is personal: it is often a named official's (`budi.santoso@...go.id`)
 * rather than a shared mailbox, nothing tells the two apart, and the access request export lists ministry
 * contacts; encrypting a shared mailbox costs little, while a named official's address in clear could
 * never be erased. The ministry's name is an institution's, not personal. A delivery's failure reason is
 * the receiving mail server's answer and often quotes the address: personal, and the contact's. A report's
 * files are named by kind, language and checksum only; a re-rendering names the erased subject by id only.
 */
export const reportingPersonalData: PersonalDataDeclaration<MinistryEvent | ReportEvent> = {
  MinistryContactSet: {
    personal: [{ path: 'email', subject: ministryContact }],
    notPersonal: ['country', 'ministryName', 'language', 'setAt'],
  },
  MinistryContactChanged: {
    personal: [{ path: 'email', subject: ministryContact }],
    notPersonal: ['country', 'ministryName', 'language', 'changedAt'],
  },
  ReportCompiled: {
    personal: [],
    notPersonal: ['workshopId', 'compiledAt', 'files[].kind', 'files[].language', 'files[].checksum', 'countries[]'],
  },
  ReportRerendered: {
    personal: [],
    notPersonal: ['workshopId', 'subjectId', 'rerenderedAt', 'files[].kind', 'files[].language', 'files[].checksum'],
  },
  ReportDeliveryQueued: {
    personal: [{ path: 'email', subject: ministryContact }],
    notPersonal: [...recipient, 'queuedAt'],
  },
  ReportDeliverySent: {
    personal: [{ path: 'email', subject: ministryContact }],
    notPersonal: [...recipient, 'sentAt', 'messageId', 'languageSent'],
  },
  ReportDeliveryFailed: {
    personal: [
      { path: 'email', subject: ministryContact },
      { path: 'reason', subject: ministryContact },
    ],
    notPersonal: [...recipient, 'failedAt'],
  },
};
