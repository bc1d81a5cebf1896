import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type DueNotificationMail, NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationMailJob, unsentNotificationMails } from '@passerelle/mail';
import { AppConfig, EventStorePool, type ReconciledJobs } from '@passerelle/platform';
import { PARTNER_ACCOUNTS_REACTOR } from './partner-accounts.reactor';

/**
 * The contacts registered in the last $1 days (NOTIFICATION_RECONCILE_DAYS), one row per event that
 * calls for an activation e-mail; only events the partner-accounts reactor has handled ($2: its
 * checkpoint), so the account and its token exist before a job is queued again. Reads the index
 * `events_type_recorded_at`.
 */
export const ACTIVATION_MAILS_CALLED_FOR_SQL = `SELECT e.event_id, e.stream_id, e.recorded_at, e.metadata->>'correlationId' AS correlation_id,
    e.data->'contact'->>'userId' AS user_id
  FROM events e
  WHERE e.type IN ('InstitutionRegistered', 'InstitutionContactAdded')
    AND e.recorded_at >= now() - make_interval(days => $1)
    AND e.position <= $2`;

/**
 * Activation e-mails due and not sent: each must have its job in Redis (the one the partner-accounts
 * reactor queued, same id); the ledger keeps a job queued again from sending twice.
 */
@Injectable()
export class ActivationMailReconciled implements ReconciledJobs {
  readonly kind = 'account-activation-mail';

  constructor(
    @InjectQueue(NOTIFICATION_MAIL_QUEUE) readonly queue: Queue<NotificationMailJob>,
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
  ) {}

  findDue(): Promise<DueNotificationMail[]> {
    return unsentNotificationMails(this.pool, { kind: 'account-activation', reactor: PARTNER_ACCOUNTS_REACTOR, calledForSql: ACTIVATION_MAILS_CALLED_FOR_SQL });
  }

  async enqueue(missing: DueNotificationMail[]): Promise<void> {
    await this.queue.addBulk(missing.map((due) => notificationMailJob(this.config, due.job)));
  }
}
