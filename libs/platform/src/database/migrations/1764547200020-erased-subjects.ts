import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The subjects whose erasure has reached the mail ledger (ids only): an e-mail's claim in the ledger is
 * refused for them in the same statement, under the subject's mail lock, so that no e-mail goes out after
 * an erasure has counted the ones already sent (OnceMailer, sentMailCounter).
 */
export class ErasedSubjects1764547200020 implements MigrationInterface {
  name = 'ErasedSubjects1764547200020';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE TABLE erased_subjects (subject_id uuid PRIMARY KEY, erased_at timestamptz NOT NULL DEFAULT now())');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE erased_subjects');
  }
}
