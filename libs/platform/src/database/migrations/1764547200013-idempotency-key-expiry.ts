import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Keys expire (IDEMPOTENCY_KEY_HOURS) and the worker deletes the expired ones in batches,
 * oldest first: an index on their creation time keeps that search from reading the whole table.
 * (The table has kept only a SHA-256 of each request, never its body, since it was made.)
 */
export class IdempotencyKeyExpiry1764547200013 implements MigrationInterface {
  name = 'IdempotencyKeyExpiry1764547200013';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX IF EXISTS idempotency_keys_created_at');
  }
}
