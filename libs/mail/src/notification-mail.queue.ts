import { eventJobOptions } from '@passerelle/platform';

export const NOTIFICATION_MAIL_QUEUE = 'notification-mail';

/**
 * How far back (days) the reconciler looks for notification e-mails due and not sent. Bounds its pass;
 * shorter than the 30 days a completed job is kept, so a job that ran without sending (no such contact)
 * is still in Redis while its event is looked at, and is not queued again on every pass.
 */
export const NOTIFICATION_RECONCILE_DAYS = 7;

/** A notification e-mail: the event that calls for it and the account it goes to; the processor loads the rest. */
export interface NotificationMailJob {
  kind: 'account-activation' | 'proposal-decision';
  streamId: string;
  eventId: string;
  recipientUserId: string;
  correlationId: string;
}

/** A job id per event and recipient, without ':' (BullMQ refuses it in custom ids). */
export const notificationJobId = (job: Pick<NotificationMailJob, 'kind' | 'eventId' | 'recipientUserId'>) =>
  `${job.kind}.${job.eventId}.${job.recipientUserId}`;

/** The key under which the mail ledger records the e-mail as sent (or refused). */
export const notificationLedgerKey = (job: Pick<NotificationMailJob, 'kind' | 'eventId' | 'recipientUserId'>) =>
  `${job.kind}:${job.eventId}:${job.recipientUserId}`;

/**
 * The job that sends a notification e-mail: built here alone, so the reactors and the reconciler queue
 * the same job under the same id.
 */
export function notificationMailJob(config: { MAIL_ATTEMPTS: number; MAIL_RETRY_DELAY_MS: number }, data: NotificationMailJob) {
  return { name: data.kind, data, opts: eventJobOptions(config, notificationJobId(data)) };
}
