import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type DueNotificationMail, NOTIFICATION_MAIL_QUEUE, NOTIFICATION_RECONCILE_DAYS, type NotificationMailJob, notificationMailJob, unsentNotificationMails } from '@passerelle/mail';
import { AppConfig, EventStorePool, type ReconciledJobs } from '@passerelle/platform';
import { PROPOSAL_NOTIFICATIONS_REACTOR } from './proposal-notifications.reactor';

/**
 * The decisions of the last $1 days, one row per decision and partner account of the proposal's
 * institution (read from the proposal's first event, as the reactor does), counting only accounts that
 * existed when the decision was recorded: a contact added later never hears of an older decision. Only
 * events the reactor has handled ($2: its checkpoint). Reads the index `events_type_recorded_at`.
 */
export const DECISION_MAILS_CALLED_FOR_SQL = `SELECT e.event_id, e.stream_id, e.recorded_at, e.metadata->>'correlationId' AS correlation_id, u.id AS user_id
  FROM events e
  JOIN events d ON d.stream_id = e.stream_id AND d.version = 1 AND d.type = 'ProposalDrafted'
  JOIN users u ON u.role = 'partner' AND u.institution_id::text = d.data->>'institutionId' AND u.created_at <= e.recorded_at
  WHERE e.type IN ('ProposalApproved', 'ProposalRejected', 'ProposalChangesRequested')
    AND e.recorded_at >= now() - make_interval(days => $1)
    AND e.position <= (SELECT position FROM subscription_checkpoints WHERE name = $2)`;

/**
 * Proposal decision e-mails due and not sent: each must have its job in Redis (the one the
 * proposal-notifications reactor queued, same id); the ledger keeps a job queued again from sending twice.
 */
@Injectable()
export class DecisionMailReconciled implements ReconciledJobs {
  readonly kind = 'proposal-decision-mail';

  constructor(
    @InjectQueue(NOTIFICATION_MAIL_QUEUE) readonly queue: Queue<NotificationMailJob>,
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
  ) {}

  async findDue(): Promise<DueNotificationMail[]> {
    const result = await this.pool.query(DECISION_MAILS_CALLED_FOR_SQL, [NOTIFICATION_RECONCILE_DAYS, PROPOSAL_NOTIFICATIONS_REACTOR]);
    const calledFor = result.rows.map((row) => ({
      since: row.recorded_at as Date,
      job: { kind: 'proposal-decision', streamId: row.stream_id, eventId: row.event_id, recipientUserId: row.user_id, correlationId: row.correlation_id } as NotificationMailJob,
    }));
    return unsentNotificationMails(this.pool, calledFor);
  }

  async enqueue(missing: DueNotificationMail[]): Promise<void> {
    await this.queue.addBulk(missing.map((due) => notificationMailJob(this.config, due.job)));
  }
}
