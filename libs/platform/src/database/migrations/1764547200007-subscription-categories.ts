import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stream categories each subscription reads (null: all). A read waiting for a projection to reach a
 * position (X-Min-Position) needs it only to have passed the events of its own categories.
 */
export class SubscriptionCategories1764547200007 implements MigrationInterface {
  name = 'SubscriptionCategories1764547200007';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE subscription_checkpoints ADD COLUMN categories text[]');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE subscription_checkpoints DROP COLUMN categories');
  }
}
