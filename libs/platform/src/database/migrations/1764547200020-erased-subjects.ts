import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - `erased_subjects`: the subjects whose erasure has reached the mail ledger (ids only): an e-mail's claim
 *   in the ledger is refused for them in the same statement, under the subject's mail lock, so that no
 *   e-mail goes out after an erasure has counted the ones already sent (OnceMailer, sentMailCounter).
 * - `clear_events`: in a database that already held events when this version arrived, the last position
 *   written in clear. Until `npm run privacy:encrypt-existing` has sealed through it, an erasure is refused
 *   (409 `personal_data_not_sealed`): it would leave those events readable. Absent on a new database.
 */
export class ErasedSubjects1764547200020 implements MigrationInterface {
  name = 'ErasedSubjects1764547200020';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE TABLE erased_subjects (subject_id uuid PRIMARY KEY, erased_at timestamptz NOT NULL DEFAULT now())');
    await db.query('CREATE TABLE clear_events (id boolean PRIMARY KEY DEFAULT true CHECK (id), through_position bigint NOT NULL)');
    await db.query('INSERT INTO clear_events (through_position) SELECT max(position) FROM events HAVING count(*) > 0');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE clear_events');
    await db.query('DROP TABLE erased_subjects');
  }
}
