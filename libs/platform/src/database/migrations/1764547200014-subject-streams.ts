import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which streams name which data subject (ids only): what an erasure and an access request read to find
 * a person's events without decrypting the whole store. Written with each append that seals a personal field.
 */
export class SubjectStreams1764547200014 implements MigrationInterface {
  name = 'SubjectStreams1764547200014';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE subject_streams (
        subject_id uuid NOT NULL,
        stream_id  text NOT NULL,
        PRIMARY KEY (subject_id, stream_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE subject_streams');
  }
}
