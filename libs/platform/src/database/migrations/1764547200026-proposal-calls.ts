import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `proposals.call_id`: the call a proposal answers, if any (null for every proposal drafted before calls existed). */
export class ProposalCalls1764547200026 implements MigrationInterface {
  name = 'ProposalCalls1764547200026';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE proposals ADD COLUMN call_id uuid');
    await db.query('CREATE INDEX proposals_by_call ON proposals (call_id, created_at DESC, id DESC) WHERE call_id IS NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX proposals_by_call');
    await db.query('ALTER TABLE proposals DROP COLUMN call_id');
  }
}
