import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { type DueNotificationMail, NOTIFICATION_MAIL_QUEUE, type NotificationMailJob, notificationMailJob, unsentNotificationMails } from '@passerelle/mail';
import { AppConfig, EventStorePool, type ReconciledJobs } from '@passerelle/platform';
import { PROPOSAL_NOTIFICATIONS_REACTOR } from './proposal-notifications.reactor';

/**
 * The decisions of the last $1 days (NOTIFICATION_RECONCILE_DAYS), one row per decision and partner
 * account of the proposal's institution (read from the proposal's first event, as the reactor does),
 * counting only accounts that existed when the decision was recorded: a contact added later never hears
 * of an older decision. Only events the reactor has handled ($2: its checkpoint). Reads the indexes
 * `events_type_recorded_at`, `events_stream_version_unique` and `users_partners_by_institution`, one
 * lookup per decision (the LIMIT keeps the planner from a scan of every proposal's first event).
 */
export const DECISION_MAILS_CALLED_FOR_SQL = `SELECT e.event_id, e.stream_id, e.recorded_at, e.metadata->>'correlationId' AS correlation_id, u.id AS user_id
  FROM events e
  CROSS JOIN LATERAL (SELECT (first.data->>'institutionId')::uuid AS institution_id FROM events first
    WHERE first.stream_id = e.stream_id AND first.version = 1 AND first.type = 'ProposalDrafted' LIMIT 1) drafted
  JOIN users u ON u.role = 'partner' AND u.institution_id = drafted.institution_id AND u.created_at <= e.recorded_at
  WHERE e.type IN ('ProposalApproved', 'ProposalRejected', 'ProposalChangesRequested')
    AND e.recorded_at >= now() - make_interval(days => $1)
    AND e.position <= $2`;

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

  findDue(): Promise<DueNotificationMail[]> {
    return unsentNotificationMails(this.pool, { kind: 'proposal-decision', reactor: PROPOSAL_NOTIFICATIONS_REACTOR, calledForSql: DECISION_MAILS_CALLED_FOR_SQL });
  }

  async enqueue(missing: DueNotificationMail[]): Promise<void> {
    await this.queue.addBulk(missing.map((due) => notificationMailJob(this.config, due.job)));
  }
}
