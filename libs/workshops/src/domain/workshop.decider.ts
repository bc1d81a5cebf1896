import { type Decider, type NotStarted, refuse, requireNew, requireStatus } from '@passerelle/event-store-core';
import type { WorkshopCommand } from './workshop.commands';
import type { SessionData, WorkshopEvent, WorkshopStatus } from './workshop.events';
import { capitalTimeZone, isTimeZone, workshopTimeZone } from './time-zones';

/** A workshop once planned, whatever its status: its dates, sessions, invitations and solutions. */
export interface PlannedWorkshop {
  status: WorkshopStatus;
  workshopId: string;
  startsOn: string;
  endsOn: string;
  /** The IANA zone it happens in (the capital's for a plan recorded without one). */
  timeZone: string;
  sessions: Record<string, SessionData>;
  /** Lower-cased e-mails already invited: one invitation per person per workshop. */
  invitedEmails: Set<string>;
  invitationIds: Set<string>;
  solutionIds: Set<string>;
}

export type WorkshopState = NotStarted | PlannedWorkshop;

export const initialWorkshopState = (): WorkshopState => ({ status: 'none' });

export function decideWorkshop(command: WorkshopCommand, state: WorkshopState): WorkshopEvent[] {
  switch (command.type) {
    case 'PlanWorkshop': {
      requireNew(state, 'workshop');
      if (command.endsOn < command.startsOn) refuse('A workshop cannot end before it starts', 'workshop_dates');
      if (command.timeZone !== undefined && !isTimeZone(command.timeZone)) refuse(`Unknown time zone ${command.timeZone}`, 'time_zone');
      const { type: _type, at, ...data } = command;
      return [{ type: 'WorkshopPlanned', data: { ...data, timeZone: command.timeZone ?? capitalTimeZone(command.country), plannedAt: at } }];
    }
    case 'AddSession': {
      requireStatus(state, ['planned', 'registration_open', 'in_progress'], 'workshop', 'add a session to');
      if (state.sessions[command.sessionId]) refuse('This session already exists', 'session_exists');
      if (command.endsAt <= command.startsAt) refuse('A session must end after it starts', 'session_times');
      const day = (instant: string) => instant.slice(0, 10);
      if (day(command.startsAt) < state.startsOn || day(command.endsAt) > state.endsOn) {
        refuse(`Sessions take place between ${state.startsOn} and ${state.endsOn}`, 'session_outside_workshop');
      }
      const { type: _type, ...session } = command;
      return [{ type: 'WorkshopSessionAdded', data: { workshopId: state.workshopId, ...session } }];
    }
    case 'OpenRegistration':
      requireStatus(state, ['planned'], 'workshop', 'open registration of');
      return [{ type: 'WorkshopRegistrationOpened', data: { workshopId: state.workshopId, openedAt: command.at } }];
    case 'InviteParticipants': {
      requireStatus(state, ['registration_open'], 'workshop', 'invite participants to');
      if (command.invitations.length === 0) refuse('Invite at least one participant', 'no_participants');
      const seen = new Set<string>();
      const duplicates: string[] = [];
      for (const { email } of command.invitations) {
        const key = email.toLowerCase();
        if (state.invitedEmails.has(key) || seen.has(key)) duplicates.push(email);
        seen.add(key);
      }
      if (duplicates.length > 0) refuse(`Already invited to this workshop: ${duplicates.join(', ')}`, 'duplicate_participant');
      return [{ type: 'WorkshopParticipantsInvited', data: { workshopId: state.workshopId, invitations: command.invitations } }];
    }
    case 'StartWorkshop':
      requireStatus(state, ['registration_open'], 'workshop', 'start');
      return [{ type: 'WorkshopStarted', data: { workshopId: state.workshopId, startedAt: command.at } }];
    case 'RecordAttendance': {
      requireStatus(state, ['in_progress'], 'workshop', 'record attendance at');
      if (!state.sessions[command.sessionId]) refuse('This workshop has no such session', 'session_not_found');
      const strangers = command.invitationIds.filter((id) => !state.invitationIds.has(id));
      if (strangers.length > 0) refuse(`Not invited to this workshop: ${strangers.join(', ')}`, 'invitation_not_found');
      return [
        {
          type: 'WorkshopAttendanceRecorded',
          data: { workshopId: state.workshopId, sessionId: command.sessionId, invitationIds: [...new Set(command.invitationIds)] },
        },
      ];
    }
    case 'PresentSolution': {
      requireStatus(state, ['in_progress'], 'workshop', 'present a solution at');
      const session = state.sessions[command.sessionId];
      if (!session) refuse('This workshop has no such session', 'session_not_found');
      if (session.kind !== 'solutions_sharing') refuse('Solutions are presented in a solutions-sharing session', 'session_kind');
      if (state.solutionIds.has(command.solutionId)) refuse('This solution was already recorded', 'solution_exists');
      const { type: _type, ...solution } = command;
      return [{ type: 'WorkshopSolutionPresented', data: { workshopId: state.workshopId, ...solution } }];
    }
    case 'ConcludeWorkshop':
      requireStatus(state, ['in_progress'], 'workshop', 'conclude');
      return [{ type: 'WorkshopConcluded', data: { workshopId: state.workshopId, concludedAt: command.at } }];
  }
}

export function evolveWorkshop(state: WorkshopState, event: WorkshopEvent): WorkshopState {
  if (event.type === 'WorkshopPlanned') {
    const { workshopId, startsOn, endsOn } = event.data;
    const timeZone = workshopTimeZone(event.data);
    return { status: 'planned', workshopId, startsOn, endsOn, timeZone, sessions: {}, invitedEmails: new Set(), invitationIds: new Set(), solutionIds: new Set() };
  }
  // A workshop's stream starts with its plan: nothing else comes before it.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'WorkshopSessionAdded': {
      const { workshopId: _id, ...session } = event.data;
      return { ...state, sessions: { ...state.sessions, [session.sessionId]: session } };
    }
    case 'WorkshopRegistrationOpened':
      return { ...state, status: 'registration_open' };
    case 'WorkshopParticipantsInvited': {
      const invitedEmails = new Set(state.invitedEmails);
      const invitationIds = new Set(state.invitationIds);
      for (const { invitationId, email } of event.data.invitations) {
        invitedEmails.add(email.toLowerCase());
        invitationIds.add(invitationId);
      }
      return { ...state, invitedEmails, invitationIds };
    }
    case 'WorkshopStarted':
      return { ...state, status: 'in_progress' };
    case 'WorkshopAttendanceRecorded':
      return state;
    case 'WorkshopSolutionPresented':
      return { ...state, solutionIds: new Set(state.solutionIds).add(event.data.solutionId) };
    case 'WorkshopConcluded':
      return { ...state, status: 'concluded' };
  }
}

export const workshopDecider: Decider<WorkshopCommand, WorkshopState, WorkshopEvent> = {
  initialState: initialWorkshopState,
  decide: decideWorkshop,
  evolve: evolveWorkshop,
};
