import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events that say how far each report has got (its workshop concluded, compiled, each delivery
 * queued, sent or failed), for the reconciler's pass: a partial index holds only those, a handful per
 * workshop, so the pass never reads the rest of the store.
 */
export class ReportProgressIndex1764547200009 implements MigrationInterface {
  name = 'ReportProgressIndex1764547200009';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX events_report_progress ON events (type, stream_id)
      WHERE type IN ('WorkshopConcluded', 'ReportCompiled', 'ReportDeliveryQueued', 'ReportDeliverySent', 'ReportDeliveryFailed')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX events_report_progress');
  }
}
