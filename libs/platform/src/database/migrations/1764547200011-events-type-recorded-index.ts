import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events of given types recorded since a given time, for the reconciler's look-back over the events
 * that call for an e-mail (activations, decisions): its pass reads those of the last days only.
 */
export class EventsTypeRecordedIndex1764547200011 implements MigrationInterface {
  name = 'EventsTypeRecordedIndex1764547200011';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX events_type_recorded_at ON events (type, recorded_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX events_type_recorded_at');
  }
}
