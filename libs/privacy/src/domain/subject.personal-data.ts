import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { SubjectEvent } from './subject.events';

/** The record of an erasure holds ids, dates and counts: nothing personal (issue 20). */
export const subjectPersonalData: PersonalDataDeclaration<SubjectEvent> = {
  PersonalDataErased: { personal: [], notPersonal: ['subjectId', 'erasedAt', 'reason', 'basis', 'streamIds[]'] },
};
