import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Users1764547200001 implements MigrationInterface {
  name = 'Users1764547200001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id             uuid        PRIMARY KEY,
        email          text        NOT NULL,
        full_name      text        NOT NULL,
        role           text        NOT NULL CHECK (role IN ('admin', 'staff', 'partner')),
        password_hash  text,
        institution_id uuid,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE users');
  }
}
