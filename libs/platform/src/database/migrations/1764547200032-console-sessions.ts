import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `console_sessions`: who is signed in to the console pages. The cookie holds a random id; only its
 * SHA-256 is kept here, so a copy of the table signs nobody in. `token_generation` is the account's
 * when the session began: a password change or closure since ends the session, as it revokes tokens.
 */
export class ConsoleSessions1764547200032 implements MigrationInterface {
  name = 'ConsoleSessions1764547200032';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE console_sessions (
        id_hash          text        PRIMARY KEY,
        account_id       uuid        NOT NULL,
        token_generation integer     NOT NULL,
        csrf_token       text        NOT NULL,
        language         text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz NOT NULL
      )`);
    await db.query('CREATE INDEX console_sessions_by_account ON console_sessions (account_id)');
    await db.query('CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE console_sessions');
  }
}
