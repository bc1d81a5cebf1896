import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The staff's declarations of conflicts of interest on each proposal (who, when, conflict or not, the
 * reason), beside its reviews and approvals in the proposals read model: shown to staff in the detail.
 */
export class ConflictDeclarations1764547200021 implements MigrationInterface {
  name = 'ConflictDeclarations1764547200021';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE proposals ADD COLUMN conflict_declarations jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE proposals DROP COLUMN conflict_declarations');
  }
}
