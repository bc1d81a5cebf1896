import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { ERASED } from '@passerelle/event-store-core';
import { requestRebuild } from '@passerelle/event-store-postgres';
import { INVITATION_READ_MODEL } from '@passerelle/invitations';
import { INSTITUTION_READ_MODEL } from '@passerelle/partners';
import { PARTNERSHIP_READ_MODEL } from '@passerelle/partnerships';
import { MIGRATIONS, ReadModels } from '@passerelle/platform';
import { PersonalDataVault, SubjectErasure } from '@passerelle/privacy';
import { PROPOSAL_READ_MODEL } from '@passerelle/proposals';
import { MINISTRY_READ_MODEL } from '@passerelle/reporting';
import { waitFor } from '@passerelle/testing';
import { WORKSHOP_READ_MODEL } from '@passerelle/workshops';
import { expectDocumented, type OpenApiDocument } from './support/openapi-shapes';
import { type Stack, startStack, tokenIn } from './support/stack';

/**
 * An erased person leaves the read models (issue 20): their name, address, organisation and position read
 * "[erased]" in every list and detail, the items say `personalDataErased`, nothing else changes (every
 * count by status and by country stays), a plain search of the read-model tables no longer finds them, and
 * the read models rebuilt from position 0 are the same as before the rebuild.
 */

const PROJECTIONS = [WORKSHOP_READ_MODEL, INVITATION_READ_MODEL, INSTITUTION_READ_MODEL, PROPOSAL_READ_MODEL, PARTNERSHIP_READ_MODEL, MINISTRY_READ_MODEL];
/** Every read-model table the projections above write. */
const TABLES = ['workshops', 'workshop_solutions', 'invitations', 'partner_institutions', 'proposals', 'partnerships', 'ministries'];

/** The participant to erase; the address is written in mixed case, as people type it. */
const SITI = { fullName: 'Siti Rahmawati', email: 'Siti.Rahmawati@Kominfo.go.test', country: 'ID', organization: 'Kominfo Digital Office', position: 'Director of AI Policy', language: 'en' };
const PARTICIPANTS = [
  SITI,
  { fullName: 'Budi Hartono', email: 'budi.hartono@kominfo.go.test', country: 'ID', organization: 'Kominfo', position: 'Analyst', language: 'en' },
  { fullName: 'Dewi Lestari', email: 'dewi.lestari@bappenas.go.test', country: 'ID', organization: 'Bappenas', language: 'en' },
  { fullName: 'Chanda Mwale', email: 'chanda.mwale@mots.gov.zm.test', country: 'ZM', organization: 'Ministry of Technology', language: 'en' },
  { fullName: 'Bwalya Banda', email: 'bwalya.banda@zicta.zm.test', country: 'ZM', organization: 'ZICTA', language: 'en' },
  { fullName: 'Ana Souza', email: 'ana.souza@mcti.gov.br.test', country: 'BR', organization: 'MCTI', language: 'fr' },
  { fullName: 'João Lima', email: 'joao.lima@rnp.br.test', country: 'BR', organization: 'RNP', language: 'fr' },
];
const ACCEPTING = [SITI.email, 'budi.hartono@kominfo.go.test', 'chanda.mwale@mots.gov.zm.test', 'ana.souza@mcti.gov.br.test'];
/** The partner institution's contact to erase, and one who stays. */
const GRACE = { fullName: 'Grace Phiri', email: 'grace.phiri@zamtech.test', language: 'en' };
const MULENGA = { fullName: 'Mulenga Tembo', email: 'mulenga.tembo@zamtech.test', language: 'en' };
/** Indonesia's ministry contact (a named official's address) is erased; Zambia's stays. */
const MINISTRIES = {
  ID: { ministryName: 'Ministry of Communication and Digital Affairs', email: 'Budi.Santoso@komdigi.go.test', language: 'en' },
  ZM: { ministryName: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm.test', language: 'en' },
};

type Item = Record<string, any>;
const byEmail = (items: Item[], email: string) => items.find((item) => item.email === email);
const tally = (items: Item[], key: string) => items.reduce<Record<string, number>>((counts, item) => ({ ...counts, [item[key]]: (counts[item[key]] ?? 0) + 1 }), {});

describe('erasure in the read models', () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack('erasure_read_models');
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  /** How many rows of the read-model tables hold `text`, in any case. */
  async function rowsHolding(text: string): Promise<Record<string, number>> {
    const found: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${table} t WHERE t::text ILIKE '%' || $1 || '%'`, [text]);
      if (rows[0].n > 0) found[table] = rows[0].n;
    }
    return found;
  }

  /** Every row of every read-model table, in a stable order. */
  async function readModels(): Promise<Record<string, string[]>> {
    const tables: Record<string, string[]> = {};
    for (const table of TABLES) tables[table] = (await db.query(`SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY 1`)).rows.map((r) => r.row);
    return tables;
  }

  /** Waits until every projection has applied every event written so far (the last one's position, not only those every transaction has committed below). */
  async function caughtUp(what: string): Promise<void> {
    const readModelsOfApi = stack.api.get(ReadModels);
    const head = Number((await db.query('SELECT max(position) AS position FROM events')).rows[0].position);
    await waitFor(() => readModelsOfApi.reached(PROJECTIONS, head, 1000).then(() => true, () => false), { timeoutMs: 60_000, what });
  }

  it('strikes out the erased participant, partner contact and ministry contact, keeps every count, and rebuilds the same', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const http = stack.http;

    // A workshop with participants of three countries, two ministries and a partner institution with two contacts.
    const workshop = await http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Data governance', hostInstitution: 'Institute', city: 'Jakarta', country: 'ID', startsOn: '2030-05-10', endsOn: '2030-05-12', themes: ['governance'] })
      .expect(201);
    const id: string = workshop.body.id;
    const study = await http.post(`/api/workshops/${id}/sessions`).set(auth).send({ kind: 'study', title: 'Foundations', startsAt: '2030-05-10T09:00:00+07:00', endsAt: '2030-05-10T12:00:00+07:00' }).expect(201);
    await http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    for (const [country, contact] of Object.entries(MINISTRIES)) await http.put(`/api/ministries/${country}`).set(auth).send(contact).expect(200);
    const institution = await http.post('/api/partner-institutions').set(auth).send({ name: 'ZamTech', country: 'ZM', website: 'https://zamtech.test', contact: GRACE }).expect(201);
    const institutionId: string = institution.body.id;
    await http.post(`/api/partner-institutions/${institutionId}/contacts`).set(auth).send(MULENGA).expect(201);

    const invited = await http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: PARTICIPANTS }).expect(202);
    const sitiInvitation: string = invited.body.items.find((item: Item) => item.email === SITI.email).id;
    await waitFor(() => PARTICIPANTS.every((p) => stack.smtp.to(p.email).length === 1), { timeoutMs: 30_000, what: 'the invitations e-mailed' });
    const sitiToken = tokenIn(stack.smtp.to(SITI.email)[0].parsed.text ?? '');
    for (const email of ACCEPTING) await http.post(`/api/rsvp/${tokenIn(stack.smtp.to(email)[0].parsed.text ?? '')}`).send({ response: 'accept' }).expect(200);
    await http.post(`/api/workshops/${id}/start`).set(auth).expect(200);
    await http.post(`/api/workshops/${id}/sessions/${study.body.sessionId}/attendance`).set(auth).send({ invitationIds: [sitiInvitation] }).expect(200);
    await http.post(`/api/workshops/${id}/conclude`).set(auth).expect(202);
    const reportBefore = await waitFor(
      async () => {
        const body = (await http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
        return body.deliveries.length === 3 && body.deliveries.every((d: Item) => d.status !== 'queued') ? body : null;
      },
      { timeoutMs: 90_000, what: 'the report delivered' },
    );
    expect(reportBefore.deliveries.find((d: Item) => d.country === 'ID')).toMatchObject({ status: 'sent', email: MINISTRIES.ID.email });
    await caughtUp('the read models caught up');

    const invitationsBefore: Item[] = (await http.get(`/api/workshops/${id}/invitations`).set(auth).expect(200)).body.items;
    const countsBefore = (await http.get(`/api/workshops/${id}`).set(auth).expect(200)).body.invitations;
    const institutionBefore = (await http.get(`/api/partner-institutions/${institutionId}`).set(auth).expect(200)).body;
    const ministriesBefore: Item[] = (await http.get('/api/ministries').set(auth).expect(200)).body.items;
    expect(invitationsBefore).toHaveLength(PARTICIPANTS.length);
    expect(byEmail(invitationsBefore, SITI.email)).toMatchObject({ fullName: SITI.fullName, status: 'accepted', attendedSessions: [study.body.sessionId] });
    expect(invitationsBefore.some((item) => 'personalDataErased' in item)).toBe(false);
    // The search finds them before the erasure (so that it can fail).
    for (const text of [SITI.email, SITI.fullName, GRACE.email, GRACE.fullName, MINISTRIES.ID.email]) expect({ text, found: await rowsHolding(text.toUpperCase()) }).not.toEqual({ text, found: {} });

    // The migration that added the subjects finds them again from the sealed fields: undone and redone, the rows are the same.
    const clearRows = await readModels();
    expect(clearRows.invitations.every((row) => JSON.parse(row).subject_id !== null)).toBe(true);
    const migration = new (MIGRATIONS.find((m) => new m().name === 'ErasableReadModels1764547200015')!)();
    const runner = { query: (sql: string) => db.query(sql) } as unknown as QueryRunner;
    await migration.down(runner);
    await migration.up(runner);
    expect(await readModels()).toEqual(clearRows);

    const vault = stack.api.get(PersonalDataVault);
    const erasure = stack.api.get(SubjectErasure);
    for (const email of [SITI.email, GRACE.email, MINISTRIES.ID.email]) {
      const subject = await vault.findSubject(email);
      expect(subject).toMatchObject({ erased: false });
      await erasure.erase(subject!.subjectId, { reason: 'The person asked to be forgotten', basis: 'request', actor: null, now: Date.now() });
    }
    await caughtUp('the erasures projected');

    // Invitations: the participant's fields read "[erased]", the rest of the row and every other row as before.
    const invitationsAfter: Item[] = (await http.get(`/api/workshops/${id}/invitations`).set(auth).expect(200)).body.items;
    expect(invitationsAfter).toEqual(
      invitationsBefore.map((item) =>
        item.email === SITI.email ? { ...item, fullName: ERASED, email: ERASED, organization: ERASED, position: ERASED, personalDataErased: true } : item,
      ),
    );
    expect(tally(invitationsAfter, 'country')).toEqual(tally(invitationsBefore, 'country'));
    expect(tally(invitationsAfter, 'status')).toEqual(tally(invitationsBefore, 'status'));
    expect((await http.get(`/api/workshops/${id}`).set(auth).expect(200)).body.invitations).toEqual(countsBefore);
    const accepted: Item[] = (await http.get(`/api/workshops/${id}/invitations?status=accepted`).set(auth).expect(200)).body.items;
    expect(accepted).toHaveLength(ACCEPTING.length);
    expect(accepted.filter((item) => item.personalDataErased)).toEqual([expect.objectContaining({ id: sitiInvitation, fullName: ERASED, country: 'ID' })]);
    expect((await http.get(`/api/rsvp/${sitiToken}`).expect(200)).body).toMatchObject({ fullName: ERASED, status: 'accepted', personalDataErased: true });

    // The partner institution: the erased contact struck out, the other one as before.
    const institutionAfter = (await http.get(`/api/partner-institutions/${institutionId}`).set(auth).expect(200)).body;
    expect(institutionAfter).toEqual({
      ...institutionBefore,
      personalDataErased: true,
      contacts: [{ ...institutionBefore.contacts[0], fullName: ERASED, email: ERASED, personalDataErased: true }, institutionBefore.contacts[1]],
    });
    expect(institutionAfter.contacts[1]).toEqual({ userId: expect.any(String), ...MULENGA });
    const listed = (await http.get('/api/partner-institutions').set(auth).expect(200)).body.items;
    expect(listed.find((item: Item) => item.id === institutionId)).toEqual(institutionAfter);

    // Ministries and the report's deliveries: Indonesia's contact struck out, Zambia's as before.
    const ministriesAfter: Item[] = (await http.get('/api/ministries').set(auth).expect(200)).body.items;
    expect(ministriesAfter).toEqual(ministriesBefore.map((m) => (m.country === 'ID' ? { ...m, email: ERASED, personalDataErased: true } : m)));
    const reportAfter = (await http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
    expect(reportAfter).toEqual({
      ...reportBefore,
      deliveries: reportBefore.deliveries.map((d: Item) => (d.country === 'ID' ? { ...d, email: ERASED, personalDataErased: true } : d)),
    });

    // The audit shows the participant's events erased.
    const audit = (await http.get(`/api/audit/invitation/${sitiInvitation}`).set(auth).expect(200)).body;
    expect(audit[0]).toMatchObject({ type: 'InvitationIssued', data: { fullName: ERASED, email: ERASED, organization: ERASED, position: ERASED, country: 'ID' }, personalDataErased: true });

    // The answers that now say personalDataErased are as the OpenAPI document describes them.
    const document: OpenApiDocument = (await http.get('/docs-json').expect(200)).body;
    expectDocumented(document, 'GET /api/workshops/{id}/invitations', await http.get(`/api/workshops/${id}/invitations`).set(auth));
    expectDocumented(document, 'GET /api/rsvp/{token}', await http.get(`/api/rsvp/${sitiToken}`));
    expectDocumented(document, 'GET /api/partner-institutions/{id}', await http.get(`/api/partner-institutions/${institutionId}`).set(auth));
    expectDocumented(document, 'GET /api/partner-institutions', await http.get('/api/partner-institutions').set(auth));
    expectDocumented(document, 'GET /api/ministries', await http.get('/api/ministries').set(auth));
    expectDocumented(document, 'GET /api/workshops/{id}/report', await http.get(`/api/workshops/${id}/report`).set(auth));
    expectDocumented(document, 'GET /api/audit/{streamType}/{id}', await http.get(`/api/audit/invitation/${sitiInvitation}`).set(auth));

    // A plain search of the read-model tables finds none of them, in any case.
    for (const text of [SITI.email, SITI.fullName, SITI.organization, GRACE.email, GRACE.fullName, MINISTRIES.ID.email]) {
      for (const variant of [text, text.toLowerCase(), text.toUpperCase()]) expect({ variant, found: await rowsHolding(variant) }).toEqual({ variant, found: {} });
    }
    for (const kept of [PARTICIPANTS[1].email, MULENGA.email, MINISTRIES.ZM.email]) expect(await rowsHolding(kept)).not.toEqual({});

    // Every projection rebuilt from position 0 reaches the same rows.
    const beforeRebuild = await readModels();
    expect(beforeRebuild.invitations).toHaveLength(PARTICIPANTS.length);
    // Rows lost on purpose: only the replay can bring them back.
    await db.query('DELETE FROM invitations; DELETE FROM partner_institutions; DELETE FROM ministries');
    for (const name of PROJECTIONS) await requestRebuild(db, name);
    await waitFor(
      async () => (await db.query('SELECT count(*)::int AS n FROM subscription_checkpoints WHERE name = ANY($1) AND rebuild_requested', [PROJECTIONS])).rows[0].n === 0,
      { timeoutMs: 60_000, what: 'the rebuilds started' },
    );
    await caughtUp('the read models rebuilt');
    expect(await readModels()).toEqual(beforeRebuild);
    expect((await http.get(`/api/workshops/${id}/invitations`).set(auth).expect(200)).body.items).toEqual(invitationsAfter);
    expect((await http.get(`/api/partner-institutions/${institutionId}`).set(auth).expect(200)).body).toEqual(institutionAfter);
    expect((await http.get('/api/ministries').set(auth).expect(200)).body.items).toEqual(ministriesAfter);
  });
});
