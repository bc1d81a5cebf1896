import type { Pool } from 'pg';
import { SUBJECT_MAIL_LOCK } from './once-mailer';

/**
 * Counts the e-mails the ledger says went to a data subject (sent, or possibly sent: `uncertain`): what
 * an erasure answers as `emailsAlreadySent`, since they cannot be recalled. Taken under the subject's
 * mail lock, after their key is destroyed, with the subject marked in `erased_subjects` in the same
 * transaction: every e-mail claimed before is counted, and every claim after it is refused by the mark.
 */
export function sentMailCounter(db: Pool): (subjectId: string) => Promise<number> {
  return async (subjectId) => {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(${SUBJECT_MAIL_LOCK})`, [subjectId]);
      await client.query('INSERT INTO erased_subjects (subject_id) VALUES ($1) ON CONFLICT DO NOTHING', [subjectId]);
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM mail_ledger WHERE subject_id = $1 AND status IN ('sent', 'uncertain')", [subjectId]);
      await client.query('COMMIT');
      return rows[0].n;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
}
