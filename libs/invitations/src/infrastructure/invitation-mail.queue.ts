import { eventJobOptions } from '@passerelle/platform';

export const INVITATION_MAIL_QUEUE = 'invitation-mail';

/** What a mail job carries: ids, never documents (the processor loads what it needs). */
export interface InvitationMailJob {
  invitationId: string;
  /** The event that caused it, for the outcome's causation id. */
  eventId: string;
  correlationId: string;
}

/** BullMQ refuses ':' in custom job ids. */
export const invitationJobId = (eventId: string) => `invitation.${eventId}`;

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
