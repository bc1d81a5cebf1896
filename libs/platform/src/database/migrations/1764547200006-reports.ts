import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The files of compiled reports: written once, in the transaction that records ReportCompiled. */
export class Reports1764547200006 implements MigrationInterface {
  name = 'Reports1764547200006';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_files (
        workshop_id  uuid        NOT NULL,
        kind         text        NOT NULL,
        language     text        NOT NULL,
        content_type text        NOT NULL,
        content      bytea       NOT NULL,
        checksum     text        NOT NULL,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (workshop_id, kind, language)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE report_files');
  }
}
