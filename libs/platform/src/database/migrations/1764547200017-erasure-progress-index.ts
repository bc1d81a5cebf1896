import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events that say how far an erasure has got in the reports (the erasure itself, each report
 * rendered again), for the reconciler's pass and the retention pass: a partial index holds only those.
 * And the streams' side of `subject_streams`, for finding whom an invitation names.
 */
export class ErasureProgressIndex1764547200017 implements MigrationInterface {
  name = 'ErasureProgressIndex1764547200017';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX events_erasure_progress ON events (type, stream_id) WHERE type IN ('PersonalDataErased', 'ReportRerendered')`);
    await db.query('CREATE INDEX subject_streams_by_stream ON subject_streams (stream_id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX subject_streams_by_stream');
    await db.query('DROP INDEX events_erasure_progress');
  }
}
