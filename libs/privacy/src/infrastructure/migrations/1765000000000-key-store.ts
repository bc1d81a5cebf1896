import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The key database (never the event database). `subjects`: one row per data subject: its random id,
 * the blind index of its address (HMAC, never the address), its key wrapped by the master key and
 * that master key's id; an erasure empties the key and keeps a tombstone (destroyed_at). Only one
 * living subject per address (the partial unique index), so find-or-create is race-safe.
 * `server_keys`: keys of the server itself, wrapped the same way (the blind-index key).
 */
export class KeyStore1765000000000 implements MigrationInterface {
  name = 'KeyStore1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE subjects (
        subject_id uuid PRIMARY KEY,
        blind_index bytea NOT NULL CHECK (octet_length(blind_index) = 32),
        wrapped_key bytea,
        master_key_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz,
        CONSTRAINT subjects_key_or_tombstone CHECK (
          (destroyed_at IS NULL AND wrapped_key IS NOT NULL AND master_key_id IS NOT NULL)
          OR (destroyed_at IS NOT NULL AND wrapped_key IS NULL AND master_key_id IS NULL)
        )
      )`);
    await db.query('CREATE UNIQUE INDEX subjects_living_blind_index ON subjects (blind_index) WHERE destroyed_at IS NULL');
    await db.query('CREATE INDEX subjects_blind_index ON subjects (blind_index, created_at DESC)');
    await db.query('CREATE INDEX subjects_master_key ON subjects (master_key_id) WHERE destroyed_at IS NULL');
    await db.query(`
      CREATE TABLE server_keys (
        name text PRIMARY KEY,
        wrapped_key bytea NOT NULL,
        master_key_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rewrapped_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE server_keys');
    await db.query('DROP TABLE subjects');
  }
}
