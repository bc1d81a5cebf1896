import { eventJobOptions } from '@passerelle/platform';

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

/**
 * The job that e-mails an invitation when it is issued: built here alone, so the reactor and the
 * reconciler queue the same job under the same id.
 */
export function invitationMailJob(
  config: { MAIL_ATTEMPTS: number; MAIL_RETRY_DELAY_MS: number },
  issued: { invitationId: string; eventId: string; correlationId: string },
) {
  const data: InvitationMailJob = { invitationId: issued.invitationId, eventId: issued.eventId, correlationId: issued.correlationId };
  return { name: 'invitation', data, opts: eventJobOptions(config, invitationJobId(issued.eventId)) };
}

/** The day (UTC, YYYY-MM-DD) reminders are looked for on, at `now` (milliseconds since the epoch). */
export const reminderDay = (now: number) => new Date(now).toISOString().slice(0, 10);

/**
 * The job that reminds an invitation's participant, as the reminders' scheduler queues it on `today`
 * and the reconciler queues it again: built here alone, so both use the same name, data and id (one per
 * invitation, never doubled while Redis holds it).
 */
export function reminderMailJob(config: { MAIL_ATTEMPTS: number; MAIL_RETRY_DELAY_MS: number }, invitationId: string, today: string) {
  const data: InvitationMailJob = { invitationId, eventId: `reminder-${today}`, correlationId: `reminders-${today}` };
  return { name: 'reminder', data, opts: eventJobOptions(config, reminderJobId(invitationId), 90) };
}
