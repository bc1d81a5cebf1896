import type { Pool } from 'pg';
import type { DueJob } from '@passerelle/platform';
import { type NotificationMailJob, notificationJobId, notificationLedgerKey } from './notification-mail.queue';

/** A notification e-mail the store calls for and the mail ledger does not hold. */
export interface DueNotificationMail extends DueJob {
  job: NotificationMailJob;
}

/**
 * Of the e-mails the store calls for (each with the time of its event), those whose ledger key is
 * absent from `mail_ledger`: not sent, not refused. One query on the ledger's primary key.
 */
export async function unsentNotificationMails(db: Pick<Pool, 'query'>, calledFor: { job: NotificationMailJob; since: Date }[]): Promise<DueNotificationMail[]> {
  if (calledFor.length === 0) return [];
  const keys = calledFor.map(({ job }) => notificationLedgerKey(job));
  const found = await db.query<{ key: string }>('SELECT key FROM mail_ledger WHERE key = ANY($1::text[])', [keys]);
  const inLedger = new Set(found.rows.map((row) => row.key));
  return calledFor
    .filter(({ job }) => !inLedger.has(notificationLedgerKey(job)))
    .map(({ job, since }) => ({ subjectId: `${job.eventId}/${job.recipientUserId}`, jobId: notificationJobId(job), since, job }));
}
