import { Client } from 'pg';
import { waitFor } from '@passerelle/testing';
import { type Stack, startStack } from './support/stack';

/** Personal fields are stored encrypted in the events table and read back in clear by everyone entitled. */
describe('personal fields in the event store', () => {
  let stack: Stack;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack('sealed');
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.close();
  });

  it('stores a participant\'s name, address, organisation and position sealed, and serves them in clear', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const workshop = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Data governance', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-05-10', endsOn: '2030-05-12', themes: ['governance'] })
      .expect(201);
    const id = workshop.body.id;
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    const participant = { fullName: 'Siti Rahmawati', email: 'Siti.Rahmawati@kominfo.go.test', country: 'ID', organization: 'Kominfo Digital Office', position: 'Director of AI Policy', language: 'en' };
    const invited = await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: [participant] }).expect(202);
    const invitationId = invited.body.items[0].id;

    const stored = (await db.query("SELECT type, data::text AS data FROM events WHERE stream_id = $1 ORDER BY version", [`invitation-${invitationId}`])).rows;
    expect(stored[0].type).toBe('InvitationIssued');
    for (const secret of [participant.fullName, participant.email, participant.email.toLowerCase(), participant.organization, participant.position]) {
      expect((await db.query('SELECT count(*)::int AS n FROM events WHERE data::text ILIKE $1', [`%${secret}%`])).rows[0].n).toBe(0);
    }
    const data = JSON.parse(stored[0].data);
    expect(data.fullName).toMatch(/^pd1\.[0-9a-f-]{36}\./);
    expect(data.country).toBe('ID'); // not personal: figures by country survive an erasure
    const subjectId = data.fullName.split('.')[1];
    expect(data.email.split('.')[1]).toBe(subjectId);
    expect((await db.query('SELECT stream_id FROM subject_streams WHERE subject_id = $1', [subjectId])).rows.map((r) => r.stream_id)).toContain(`invitation-${invitationId}`);

    await waitFor(async () => (await stack.http.get(`/api/workshops/${id}/invitations`).set(auth)).body.items?.length === 1, { what: 'the invitation listed' });
    const audit = await stack.http.get(`/api/audit/invitation/${invitationId}`).set(auth).expect(200);
    expect(audit.body.items?.[0]?.data ?? audit.body[0]?.data).toMatchObject({ fullName: participant.fullName, email: participant.email, position: participant.position });
    await waitFor(() => stack.smtp.received.length === 1, { what: 'the invitation e-mailed' });
    expect(stack.smtp.received[0].envelopeTo[0]).toBe(participant.email);
  });
});
