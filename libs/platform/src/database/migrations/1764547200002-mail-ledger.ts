import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MailLedger1764547200002 implements MigrationInterface {
  name = 'MailLedger1764547200002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE mail_ledger (
        key        text        PRIMARY KEY,
        message_id text        NOT NULL,
        recipient  text        NOT NULL,
        status     text        NOT NULL CHECK (status IN ('sending', 'sent', 'rejected', 'uncertain')),
        detail     text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE mail_ledger');
  }
}
