import type { Participant, RsvpResponse } from './invitation.events';

export type InvitationCommand =
  | { type: 'IssueInvitation'; invitationId: string; workshopId: string; participant: Participant; tokenHash: string; at: string }
  | { type: 'RecordEmailSent'; messageId: string; at: string }
  | { type: 'RecordEmailBounced'; reason: string; at: string }
  /** `workshopStarted` comes in with the command: answers stop counting once the workshop has started. */
  | { type: 'Respond'; response: RsvpResponse; workshopStarted: boolean; at: string }
  | { type: 'RecordReminderSent'; messageId: string; at: string }
  | { type: 'MarkAttended'; sessionId: string };
