import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * For the reconciler's look-back over the events that call for an e-mail (activations, decisions): the
 * events of given types recorded since a given time, and the partner accounts of an institution (the
 * recipients of its proposals' decisions). A pass then costs the events of the last days only.
 */
export class NotificationLookBackIndexes1764547200011 implements MigrationInterface {
  name = 'NotificationLookBackIndexes1764547200011';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX events_type_recorded_at ON events (type, recorded_at)');
    await db.query(`CREATE INDEX users_partners_by_institution ON users (institution_id) WHERE role = 'partner'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX users_partners_by_institution');
    await db.query('DROP INDEX events_type_recorded_at');
  }
}
