import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WorkshopReadModels1764547200003 implements MigrationInterface {
  name = 'WorkshopReadModels1764547200003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE workshops (
        id               uuid        PRIMARY KEY,
        title            text        NOT NULL,
        host_institution text        NOT NULL,
        city             text        NOT NULL,
        country          text        NOT NULL,
        starts_on        date        NOT NULL,
        ends_on          date        NOT NULL,
        themes           jsonb       NOT NULL,
        status           text        NOT NULL,
        sessions         jsonb       NOT NULL DEFAULT '[]',
        planned_at       timestamptz NOT NULL,
        version          integer     NOT NULL,
        position         bigint      NOT NULL
      )`);
    await db.query('CREATE INDEX workshops_list ON workshops (starts_on DESC, id DESC)');
    await db.query(`
      CREATE TABLE workshop_solutions (
        workshop_id uuid NOT NULL,
        solution_id uuid NOT NULL,
        session_id  uuid NOT NULL,
        company     text NOT NULL,
        title       text NOT NULL,
        sector      text NOT NULL,
        PRIMARY KEY (workshop_id, solution_id)
      )`);
    await db.query(`
      CREATE TABLE invitations (
        id            uuid        PRIMARY KEY,
        workshop_id   uuid        NOT NULL,
        full_name     text        NOT NULL,
        email         text        NOT NULL,
        country       text        NOT NULL,
        organization  text        NOT NULL,
        position_title text,
        language      text        NOT NULL,
        token_hash    text        NOT NULL UNIQUE,
        status        text        NOT NULL,
        issued_at     timestamptz NOT NULL,
        emailed_at    timestamptz,
        responded_at  timestamptz,
        reminded_at   timestamptz,
        bounce_reason text,
        attended_sessions jsonb   NOT NULL DEFAULT '[]',
        version       integer     NOT NULL
      )`);
    await db.query('CREATE INDEX invitations_by_workshop ON invitations (workshop_id, status, email)');
    await db.query('CREATE INDEX invitations_list ON invitations (workshop_id, issued_at, id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE invitations');
    await db.query('DROP TABLE workshop_solutions');
    await db.query('DROP TABLE workshops');
  }
}
