export const SESSION_KINDS = ['study', 'field_visit', 'roundtable', 'solutions_sharing'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export type WorkshopStatus = 'planned' | 'registration_open' | 'in_progress' | 'concluded';

export interface SessionData {
  sessionId: string;
  kind: SessionKind;
  title: string;
  startsAt: string;
  endsAt: string;
  location: string | null;
}

/** What staff say of a workshop when they plan it. */
export interface WorkshopPlan {
  title: string;
  hostInstitution: string;
  city: string;
  country: string;
  startsOn: string;
  endsOn: string;
  themes: string[];
  /**
   * The IANA zone the workshop happens in ("Asia/Shanghai"): every time a person reads is written there.
   * Absent from plans recorded before zones were: read those with workshopTimeZone (the capital's zone).
   */
  timeZone?: string;
}

export type WorkshopEvent =
  | { type: 'WorkshopPlanned'; data: WorkshopPlan & { workshopId: string; plannedAt: string } }
  | { type: 'WorkshopSessionAdded'; data: SessionData & { workshopId: string } }
  | { type: 'WorkshopRegistrationOpened'; data: { workshopId: string; openedAt: string } }
  | { type: 'WorkshopParticipantsInvited'; data: { workshopId: string; invitations: { invitationId: string; email: string }[] } }
  | { type: 'WorkshopStarted'; data: { workshopId: string; startedAt: string } }
  | { type: 'WorkshopAttendanceRecorded'; data: { workshopId: string; sessionId: string; invitationIds: string[] } }
  | {
      type: 'WorkshopSolutionPresented';
      data: { workshopId: string; solutionId: string; sessionId: string; company: string; title: string; sector: string };
    }
  | { type: 'WorkshopConcluded'; data: { workshopId: string; concludedAt: string } };

export type WorkshopEventType = WorkshopEvent['type'];
