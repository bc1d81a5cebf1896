import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What rendering a report again after an erasure needs: the report's model as compiled, without a
 * participant's personal field (`report_models`, written with ReportCompiled beside its files), so that
 * everything but the erased person comes out as before; the events that say how far an erasure has got in
 * the reports (the erasure, each report rendered again), for the reconciler's pass, in a partial index;
 * and the streams' side of `subject_streams`, for finding whom an invitation names.
 */
export class ReportRerendering1764547200017 implements MigrationInterface {
  name = 'ReportRerendering1764547200017';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_models (
        workshop_id uuid        PRIMARY KEY,
        model       jsonb       NOT NULL,
        created_at  timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX events_erasure_progress ON events (type, stream_id) WHERE type IN ('PersonalDataErased', 'ReportRerendered')`);
    await db.query('CREATE INDEX subject_streams_by_stream ON subject_streams (stream_id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX subject_streams_by_stream');
    await db.query('DROP INDEX events_erasure_progress');
    await db.query('DROP TABLE report_models');
  }
}
