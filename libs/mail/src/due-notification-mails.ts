import type { Pool } from 'pg';
import type { DueJob } from '@passerelle/platform';
import { NOTIFICATION_RECONCILE_DAYS, type NotificationMailJob, notificationJobId, notificationLedgerKey } from './notification-mail.queue';

/** A notification e-mail the store calls for and the mail ledger does not hold. */
export interface DueNotificationMail extends DueJob {
  job: NotificationMailJob;
}

/**
 * The e-mails of one kind that the store calls for and the mail ledger does not hold (neither sent nor
 * refused). `calledForSql` reads the events of the last $1 days up to position $2 (the reactor's
 * checkpoint: only events it has handled, so what its handler prepared exists), one row per e-mail with
 * event_id, stream_id, recorded_at, correlation_id and user_id. The checkpoint is read first and given
 * as a value, so the planner knows it and reads the look-back through its index.
 */
export async function unsentNotificationMails(
  db: Pick<Pool, 'query'>,
  spec: { kind: NotificationMailJob['kind']; reactor: string; calledForSql: string },
): Promise<DueNotificationMail[]> {
  const checkpoint = await db.query<{ position: string }>('SELECT position FROM subscription_checkpoints WHERE name = $1', [spec.reactor]);
  if (checkpoint.rows.length === 0) return [];
  const rows = (await db.query(spec.calledForSql, [NOTIFICATION_RECONCILE_DAYS, checkpoint.rows[0].position])).rows;
  if (rows.length === 0) return [];
  const calledFor = rows.map((row) => ({
    since: row.recorded_at as Date,
    job: { kind: spec.kind, streamId: row.stream_id, eventId: row.event_id, recipientUserId: row.user_id, correlationId: row.correlation_id } as NotificationMailJob,
  }));
  const keys = calledFor.map(({ job }) => notificationLedgerKey(job));
  const found = await db.query<{ key: string }>('SELECT key FROM mail_ledger WHERE key = ANY($1::text[])', [keys]);
  const inLedger = new Set(found.rows.map((row) => row.key));
  return calledFor
    .filter(({ job }) => !inLedger.has(notificationLedgerKey(job)))
    .map(({ job, since }) => ({ subjectId: `${job.eventId}/${job.recipientUserId}`, jobId: notificationJobId(job), since, job }));
}
