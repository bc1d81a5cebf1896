import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EventStore1764547200000 implements MigrationInterface {
  name = 'EventStore1764547200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE events (
        position       bigint      PRIMARY KEY,
        event_id       uuid        NOT NULL UNIQUE,
        stream_id      text        NOT NULL,
        category       text        NOT NULL,
        version        integer     NOT NULL CHECK (version > 0),
        type           text        NOT NULL,
        schema_version integer     NOT NULL DEFAULT 1,
        data           jsonb       NOT NULL,
        metadata       jsonb       NOT NULL,
        recorded_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version)
      )`);
    await db.query(`
      CREATE TABLE idempotency_keys (
        scope       text        NOT NULL,
        key         text        NOT NULL,
        fingerprint text        NOT NULL,
        result      jsonb       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await db.query(`
      CREATE TABLE subscription_checkpoints (
        name              text        PRIMARY KEY,
        position          bigint      NOT NULL DEFAULT 0,
        rebuild_requested boolean     NOT NULL DEFAULT false,
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE subscription_dead_letters (
        id               bigserial   PRIMARY KEY,
        consumer         text        NOT NULL,
        position         bigint      NOT NULL,
        event_id         uuid        NOT NULL,
        event_type       text        NOT NULL,
        error            text        NOT NULL,
        attempts         integer     NOT NULL,
        parked_at        timestamptz NOT NULL DEFAULT now(),
        replay_requested boolean     NOT NULL DEFAULT false,
        replayed_at      timestamptz,
        UNIQUE (consumer, position)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE subscription_dead_letters');
    await db.query('DROP TABLE subscription_checkpoints');
    await db.query('DROP TABLE idempotency_keys');
    await db.query('DROP TABLE events');
  }
}
