import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the reminder engine's sweep reads. `partnerships.end_reminded_for` and `end_reminded_days`: the
 * last end-of-term reminder recorded (for which end, how many days before it), so a sent reminder is no
 * longer found and a moved end is planned anew; the partnerships near their end are found through
 * `partnerships_due_to_expire` (ends_on, active or suspended). `invitations_awaiting_reminder`: the
 * invitations still unanswered and not reminded, by workshop, so the sweep reads those of the few
 * workshops starting soon and none of the answered or reminded ones.
 */
export class ReminderSweeps1764547200027 implements MigrationInterface {
  name = 'ReminderSweeps1764547200027';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE partnerships ADD COLUMN end_reminded_for date, ADD COLUMN end_reminded_days integer');
    await db.query("CREATE INDEX invitations_awaiting_reminder ON invitations (workshop_id) WHERE status IN ('issued', 'emailed') AND reminded_at IS NULL");
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX invitations_awaiting_reminder');
    await db.query('ALTER TABLE partnerships DROP COLUMN end_reminded_for, DROP COLUMN end_reminded_days');
  }
}
