import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Ministries1764547200005 implements MigrationInterface {
  name = 'Ministries1764547200005';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ministries (
        country       text        PRIMARY KEY,
        ministry_name text        NOT NULL,
        email         text        NOT NULL,
        language      text        NOT NULL,
        updated_at    timestamptz NOT NULL,
        version       integer     NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE ministries');
  }
}
