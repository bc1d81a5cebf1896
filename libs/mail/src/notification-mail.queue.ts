export const NOTIFICATION_MAIL_QUEUE = 'notification-mail';

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
