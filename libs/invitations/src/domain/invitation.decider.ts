import { type Decider, type NotStarted, refuse, requireExisting, requireNew } from '@passerelle/event-store-core';
import type { InvitationCommand } from './invitation.commands';
import type { InvitationEvent, InvitationStatus } from './invitation.events';

/** An invitation once issued, whatever its status. */
export interface IssuedInvitationState {
  status: InvitationStatus;
  invitationId: string;
  workshopId: string;
  /** Whether the e-mail was recorded as sent: it may be recorded after an answer, which keeps the status. */
  emailed: boolean;
  reminded: boolean;
  attendedSessions: Set<string>;
}

export type InvitationState = NotStarted | IssuedInvitationState;

export const initialInvitationState = (): InvitationState => ({ status: 'none' });

export function decideInvitation(command: InvitationCommand, state: InvitationState): InvitationEvent[] {
  switch (command.type) {
    case 'IssueInvitation':
      requireNew(state, 'invitation');
      return [
        {
          type: 'InvitationIssued',
          data: {
            invitationId: command.invitationId,
            workshopId: command.workshopId,
            ...command.participant,
            tokenHash: command.tokenHash,
            issuedAt: command.at,
          },
        },
      ];
    case 'RecordEmailSent':
      requireExisting(state, 'invitation');
      // Recording is idempotent: a repeat, or a record arriving after the participant already answered, changes nothing.
      if (state.emailed || state.status === 'bounced') return [];
      return [{ type: 'InvitationEmailed', data: { invitationId: state.invitationId, emailedAt: command.at, messageId: command.messageId } }];
    case 'RecordEmailBounced':
      requireExisting(state, 'invitation');
      if (state.status !== 'issued') return [];
      return [{ type: 'InvitationBounced', data: { invitationId: state.invitationId, bouncedAt: command.at, reason: command.reason } }];
    case 'Respond': {
      requireExisting(state, 'invitation');
      if (command.workshopStarted) refuse('The workshop has started; answers are closed', 'rsvp_closed');
      if (state.status === 'bounced') refuse('This invitation could not be delivered', 'invitation_bounced');
      const wanted: InvitationStatus = command.response === 'accept' ? 'accepted' : 'declined';
      if (state.status === wanted) return [];
      const data = { invitationId: state.invitationId, respondedAt: command.at };
      return [command.response === 'accept' ? { type: 'InvitationAccepted', data } : { type: 'InvitationDeclined', data }];
    }
    case 'RecordReminderSent':
      requireExisting(state, 'invitation');
      if (state.reminded) return [];
      return [{ type: 'InvitationReminded', data: { invitationId: state.invitationId, remindedAt: command.at, messageId: command.messageId } }];
    case 'MarkAttended':
      requireExisting(state, 'invitation');
      if (state.status === 'bounced') refuse('This invitation could not be delivered', 'invitation_bounced');
      if (state.attendedSessions.has(command.sessionId)) return [];
      return [{ type: 'InvitationAttended', data: { invitationId: state.invitationId, sessionId: command.sessionId } }];
  }
}

export function evolveInvitation(state: InvitationState, event: InvitationEvent): InvitationState {
  if (event.type === 'InvitationIssued') {
    const { invitationId, workshopId } = event.data;
    return { status: 'issued', invitationId, workshopId, emailed: false, reminded: false, attendedSessions: new Set() };
  }
  // An invitation's stream starts when it is issued: nothing else comes before it.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'InvitationEmailed':
      return { ...state, emailed: true, status: state.status === 'issued' ? 'emailed' : state.status };
    case 'InvitationBounced':
      return { ...state, status: 'bounced' };
    case 'InvitationAccepted':
      return { ...state, status: 'accepted' };
    case 'InvitationDeclined':
      return { ...state, status: 'declined' };
    case 'InvitationReminded':
      return { ...state, reminded: true };
    case 'InvitationAttended':
      return { ...state, attendedSessions: new Set(state.attendedSessions).add(event.data.sessionId) };
  }
}

export const invitationDecider: Decider<InvitationCommand, InvitationState, InvitationEvent> = {
  initialState: initialInvitationState,
  decide: decideInvitation,
  evolve: evolveInvitation,
};
