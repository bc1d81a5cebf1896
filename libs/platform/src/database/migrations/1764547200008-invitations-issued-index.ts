import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invitations still waiting for their e-mail, for the reconciler's pass: a partial index holds
 * only those, so the pass costs nothing for the (many) invitations already e-mailed or answered.
 */
export class InvitationsIssuedIndex1764547200008 implements MigrationInterface {
  name = 'InvitationsIssuedIndex1764547200008';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX invitations_issued ON invitations (issued_at) WHERE status = 'issued'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX invitations_issued');
  }
}
