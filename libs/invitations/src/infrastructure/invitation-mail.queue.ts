export const INVITATION_MAIL_QUEUE = 'invitation-mail';
export const INVITATION_REMINDERS_QUEUE = 'invitation-reminders';

/** What a mail job carries: ids, never documents (the processor loads what it needs). */
export interface InvitationMailJob {
  invitationId: string;
  /** The event that caused it, for the outcome's causation id. */
  eventId: string;
  correlationId: string;
}

/** BullMQ refuses ':' in custom job ids. */
export const invitationJobId = (eventId: string) => `invitation.${eventId}`;
export const reminderJobId = (invitationId: string) => `reminder.${invitationId}`;
