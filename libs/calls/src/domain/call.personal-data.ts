import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { CallEvent } from './call.events';

/**
 * Which fields of a call's events are personal (STYLE.md habit 5): none. A call for proposals is the
 * programme's public announcement; its title, summary, sectors, countries, times and ceiling describe
 * the call, and the staff member who opened or closed it is in the metadata as an account id. A reason
 * for closing early is about the call, not about a person.
 */
export const callPersonalData: PersonalDataDeclaration<CallEvent> = {
  CallOpened: {
    personal: [],
    notPersonal: ['callId', 'title', 'summary', 'sectors[]', 'countries[]', 'opensAt', 'closesAt', 'workshopId', 'budgetCeiling.currency', 'openedAt'],
  },
  CallClosed: { personal: [], notPersonal: ['callId', 'by', 'reason', 'closedAt'] },
  CallDeadlineReminderSent: { personal: [], notPersonal: ['callId', 'institutionId', 'closesAt', 'sentAt'] },
};
