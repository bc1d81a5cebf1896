import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `call_deadline_reminders`: the deadline reminders sent to an institution with unsubmitted proposals
 * to a call, by closing time and milestone (7 or 1 day before), projected from CallDeadlineReminderSent.
 * The sweep (CallDeadlineReminderSource) reads calls closing within 7 days (`calls_not_closed`), their
 * unsubmitted proposals (the partial index below) and this table by its key.
 */
export class CallDeadlineReminders1764547200028 implements MigrationInterface {
  name = 'CallDeadlineReminders1764547200028';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE call_deadline_reminders (
        call_id        uuid        NOT NULL,
        institution_id uuid        NOT NULL,
        closes_at      timestamptz NOT NULL,
        days_before    integer     NOT NULL,
        sent_at        timestamptz NOT NULL,
        PRIMARY KEY (call_id, institution_id, closes_at, days_before)
      )`);
    await db.query(`CREATE INDEX proposals_unsubmitted_by_call ON proposals (call_id, institution_id) WHERE status IN ('draft', 'changes_requested') AND call_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX proposals_unsubmitted_by_call');
    await db.query('DROP TABLE call_deadline_reminders');
  }
}
