import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workshops.time_zone`: the IANA zone a workshop happens in, from its plan. Empty for the rows of
 * workshops planned before zones were recorded: readers take the zone of the country's capital
 * (workshopTimeZone in @passerelle/workshops), as the workshop's own events do.
 */
export class WorkshopTimeZones1764547200023 implements MigrationInterface {
  name = 'WorkshopTimeZones1764547200023';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE workshops ADD COLUMN time_zone text');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE workshops DROP COLUMN time_zone');
  }
}
