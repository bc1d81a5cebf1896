import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What every authenticated request checks of its account besides the token's signature: whether the
 * account was closed, and its token generation, which a password change or a closure moves on so that
 * every access token issued before (carrying the older generation) stops working.
 */
export class AccountStanding1764547200012 implements MigrationInterface {
  name = 'AccountStanding1764547200012';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE users ADD COLUMN closed_at timestamptz, ADD COLUMN token_generation integer NOT NULL DEFAULT 0');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE users DROP COLUMN token_generation, DROP COLUMN closed_at');
  }
}
