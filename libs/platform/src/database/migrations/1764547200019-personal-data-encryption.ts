import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far `npm run privacy:encrypt-existing` has sealed the personal fields of a database written before
 * they were sealed (issue 20): one row, moved on in the same transaction as each batch it rewrites, so that
 * a run stopped half-way is taken up where it stopped. Positions, counts and dates only.
 */
export class PersonalDataEncryption1764547200019 implements MigrationInterface {
  name = 'PersonalDataEncryption1764547200019';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE personal_data_encryption (
        id               boolean     PRIMARY KEY DEFAULT true CHECK (id),
        position         bigint      NOT NULL DEFAULT 0,
        events_encrypted bigint      NOT NULL DEFAULT 0,
        fields_encrypted bigint      NOT NULL DEFAULT 0,
        batches          integer     NOT NULL DEFAULT 0,
        runs             integer     NOT NULL DEFAULT 0,
        started_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz, -- when the outcome was last recorded; null while fields are being sealed
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE personal_data_encryption');
  }
}
