import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read models that hold a person's data in clear learn whose it is (issue 20), so that an erasure
 * (`PersonalDataErased`) strikes it out: an invitation and a ministry contact keep their subject's id and
 * whether it was erased; a partner institution's contacts each keep theirs in the contacts list
 * (`subjectId`, `personalDataErased`). Rows written since personal fields are sealed get their subject's
 * id from the sealed field of the event that wrote them (`pd1.<subjectId>.…`, the id in clear); rows whose
 * events were written in clear get it when the read models are rebuilt after `privacy:encrypt-existing`.
 */
export class ErasableReadModels1764547200015 implements MigrationInterface {
  name = 'ErasableReadModels1764547200015';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE invitations ADD COLUMN subject_id uuid, ADD COLUMN personal_data_erased boolean NOT NULL DEFAULT false');
    await db.query('CREATE INDEX invitations_by_subject ON invitations (subject_id)');
    await db.query('ALTER TABLE ministries ADD COLUMN subject_id uuid, ADD COLUMN personal_data_erased boolean NOT NULL DEFAULT false');
    await db.query('CREATE INDEX partner_institutions_contacts ON partner_institutions USING gin (contacts jsonb_path_ops)');

    await db.query(`
      UPDATE invitations i SET subject_id = split_part(e.data->>'email', '.', 2)::uuid
      FROM events e
      WHERE e.stream_id = 'invitation-' || i.id::text AND e.type = 'InvitationIssued' AND e.data->>'email' ~ '^pd1\\.[0-9a-f-]{36}\\.'`);
    await db.query(`
      UPDATE ministries m SET subject_id = split_part(latest.email, '.', 2)::uuid
      FROM (SELECT DISTINCT ON (stream_id) stream_id, data->>'email' AS email FROM events
            WHERE category = 'ministry' AND type IN ('MinistryContactSet', 'MinistryContactChanged')
            ORDER BY stream_id, version DESC) latest
      WHERE latest.stream_id = 'ministry-' || m.country AND latest.email ~ '^pd1\\.[0-9a-f-]{36}\\.'`);
    await db.query(`
      UPDATE partner_institutions p SET contacts = (
        SELECT jsonb_agg(CASE WHEN s.subject_id IS NULL THEN c.contact ELSE c.contact || jsonb_build_object('subjectId', s.subject_id) END ORDER BY c.n)
        FROM jsonb_array_elements(p.contacts) WITH ORDINALITY AS c(contact, n)
        LEFT JOIN LATERAL (
          SELECT split_part(e.data->'contact'->>'email', '.', 2) AS subject_id FROM events e
          WHERE e.stream_id = 'institution-' || p.id::text AND e.type IN ('InstitutionRegistered', 'InstitutionContactAdded')
            AND e.data->'contact'->>'userId' = c.contact->>'userId' AND e.data->'contact'->>'email' ~ '^pd1\\.[0-9a-f-]{36}\\.'
          ORDER BY e.version LIMIT 1) s ON true)
      WHERE jsonb_array_length(p.contacts) > 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      UPDATE partner_institutions p SET contacts = (
        SELECT jsonb_agg(c.contact - 'subjectId' - 'personalDataErased' ORDER BY c.n) FROM jsonb_array_elements(p.contacts) WITH ORDINALITY AS c(contact, n))
      WHERE jsonb_array_length(p.contacts) > 0`);
    await db.query('DROP INDEX partner_institutions_contacts');
    await db.query('ALTER TABLE ministries DROP COLUMN personal_data_erased, DROP COLUMN subject_id');
    await db.query('DROP INDEX invitations_by_subject');
    await db.query('ALTER TABLE invitations DROP COLUMN personal_data_erased, DROP COLUMN subject_id');
  }
}
