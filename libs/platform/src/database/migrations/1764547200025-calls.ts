import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `calls`: one row per call for proposals. Its status is not stored: it depends on the time of the read
 * (scheduled before `opens_at`, closed from `closes_at` or once `closed_at` is set), so the queries
 * compute it. The partial index serves the worker's sweep and the reconciler: calls not yet recorded closed.
 */
export class Calls1764547200025 implements MigrationInterface {
  name = 'Calls1764547200025';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE calls (
        id             uuid        PRIMARY KEY,
        title          text        NOT NULL,
        summary        text        NOT NULL,
        sectors        jsonb       NOT NULL,
        countries      jsonb       NOT NULL,
        opens_at       timestamptz NOT NULL,
        closes_at      timestamptz NOT NULL,
        workshop_id    uuid,
        budget_ceiling jsonb,
        closed_at      timestamptz,
        closed_by      text,
        close_reason   text,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL,
        version        integer     NOT NULL
      )`);
    await db.query('CREATE INDEX calls_list ON calls (created_at DESC, id DESC)');
    await db.query('CREATE INDEX calls_not_closed ON calls (closes_at) WHERE closed_at IS NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE calls');
  }
}
