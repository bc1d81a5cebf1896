import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `partnerships.starts_on` and `ends_on`: a partnership's term. Partnerships established before terms were
 * recorded start on their approval's UTC date (as their stream says on read) and have no end until staff set one.
 */
export class PartnershipTerms1764547200024 implements MigrationInterface {
  name = 'PartnershipTerms1764547200024';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE partnerships ADD COLUMN starts_on date, ADD COLUMN ends_on date');
    await db.query("UPDATE partnerships SET starts_on = (established_at AT TIME ZONE 'UTC')::date");
    await db.query("CREATE INDEX partnerships_due_to_expire ON partnerships (ends_on) WHERE status IN ('active', 'suspended')");
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX partnerships_due_to_expire');
    await db.query('ALTER TABLE partnerships DROP COLUMN starts_on, DROP COLUMN ends_on');
  }
}
