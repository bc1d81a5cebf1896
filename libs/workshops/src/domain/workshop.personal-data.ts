import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { WorkshopEvent } from './workshop.events';

/**
 * Which fields of a workshop's events are personal (STYLE.md habit 5): only the addresses of the invited
 * participants, each its own subject. The plan, sessions and solutions name institutions, companies, places
 * and themes; attendance is recorded by invitation id.
 */
export const workshopPersonalData: PersonalDataDeclaration<WorkshopEvent> = {
  WorkshopPlanned: {
    personal: [],
    notPersonal: ['workshopId', 'title', 'hostInstitution', 'city', 'country', 'startsOn', 'endsOn', 'themes[]', 'timeZone', 'plannedAt'],
  },
  WorkshopSessionAdded: {
    personal: [],
    notPersonal: ['workshopId', 'sessionId', 'kind', 'title', 'startsAt', 'endsAt', 'location'],
  },
  WorkshopRegistrationOpened: { personal: [], notPersonal: ['workshopId', 'openedAt'] },
  WorkshopParticipantsInvited: {
    personal: [{ path: 'invitations[].email', subject: 'invitations[].email' }],
    notPersonal: ['workshopId', 'invitations[].invitationId'],
  },
  WorkshopStarted: { personal: [], notPersonal: ['workshopId', 'startedAt'] },
  WorkshopAttendanceRecorded: { personal: [], notPersonal: ['workshopId', 'sessionId', 'invitationIds[]'] },
  WorkshopSolutionPresented: {
    personal: [],
    notPersonal: ['workshopId', 'solutionId', 'sessionId', 'company', 'title', 'sector'],
  },
  WorkshopConcluded: { personal: [], notPersonal: ['workshopId', 'concludedAt'] },
};
