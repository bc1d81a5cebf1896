import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PartnersProposals1764547200004 implements MigrationInterface {
  name = 'PartnersProposals1764547200004';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE activation_tokens (
        token_hash text        PRIMARY KEY,
        user_id    uuid        NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at    timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE partner_institutions (
        id            uuid        PRIMARY KEY,
        name          text        NOT NULL,
        country       text        NOT NULL,
        website       text,
        contacts      jsonb       NOT NULL DEFAULT '[]',
        registered_at timestamptz NOT NULL,
        version       integer     NOT NULL
      )`);
    await db.query(`
      CREATE TABLE proposals (
        id              uuid        PRIMARY KEY,
        institution_id  uuid        NOT NULL,
        title           text        NOT NULL,
        summary         text        NOT NULL,
        sectors         jsonb       NOT NULL,
        countries       jsonb       NOT NULL,
        workshop_id     uuid,
        duration_months integer     NOT NULL,
        budget          jsonb,
        status          text        NOT NULL,
        round           integer     NOT NULL DEFAULT 0,
        reviews         jsonb       NOT NULL DEFAULT '[]',
        approvals       jsonb       NOT NULL DEFAULT '[]',
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        version         integer     NOT NULL
      )`);
    await db.query('CREATE INDEX proposals_by_institution ON proposals (institution_id, created_at DESC, id DESC)');
    await db.query('CREATE INDEX proposals_list ON proposals (created_at DESC, id DESC)');
    await db.query(`
      CREATE TABLE partnerships (
        id             uuid        PRIMARY KEY,
        proposal_id    uuid        NOT NULL UNIQUE,
        institution_id uuid        NOT NULL,
        status         text        NOT NULL,
        established_at timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL,
        version        integer     NOT NULL
      )`);
    await db.query('CREATE INDEX partnerships_by_institution ON partnerships (institution_id, established_at DESC, id DESC)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE partnerships');
    await db.query('DROP TABLE proposals');
    await db.query('DROP TABLE partner_institutions');
    await db.query('DROP TABLE activation_tokens');
  }
}
