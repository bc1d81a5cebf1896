import { randomUUID } from 'node:crypto';
import { hashPassword } from '@passerelle/accounts';
import { SubjectErasure } from '@passerelle/privacy';
import { waitFor } from '@passerelle/testing';
import { bearer, type Headers, partnerInstitution } from './support/callers';
import { queryRows } from './support/sql';
import { type Stack, startStack, tokenIn } from './support/stack';

/**
 * Access requests (issue 20): an admin's export of a data subject, and a partner contact's own, hold every
 * field written about the person, decrypted, with the invitation e-mails sent to them, and nothing of anyone
 * else; an erased person's fields read "[erased]".
 */

const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const STAFF = { email: 'export.staff@institute.test', fullName: 'Export Staff', password: 'staff-password-Qw7#mN4x' };
const SITI = { fullName: 'Siti Nurhaliza Rahmawati', email: 'siti.rahmawati@kominfo.go.test', country: 'ID', organization: 'Kominfo Digital Office', position: 'Director of AI Policy', language: 'en' };
const BUDI = { fullName: 'Budi Santoso Wibowo', email: 'budi.wibowo@bappenas.go.test', country: 'ID', organization: 'Bappenas Planning Bureau', position: 'Head of Data Unit', language: 'en' };
const CHANDA = { fullName: 'Chanda Mwale Phiri', email: 'chanda.phiri@smart.zm.test', country: 'ZM', organization: 'SmartZambia Institute', position: 'Chief Digital Officer', language: 'en' };
const AWA = { fullName: 'Awa Ndiaye Diop', email: 'awa.diop@ucad.sn.test' };
const MOUSSA = { fullName: 'Moussa Sow Keita', email: 'moussa.keita@ucad.sn.test', language: 'fr' };
const DEWI = 'dewi.lestari@kominfo.go.test';
const DEWI_SUCCESSOR = 'agus.pratama@kominfo.go.test';
const PLAN = { hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: '2031-06-02', endsOn: '2031-06-04', themes: ['health'] };

/** Everything a person wrote or was written about them: none of it may be in anyone else's export. */
const traces = (person: Record<string, string>) => Object.entries(person).filter(([field]) => !['country', 'language'].includes(field)).map(([, value]) => value.toLowerCase());

describe('access requests: a data subject\'s export', () => {
  let stack: Stack;
  let admin: Headers;
  let staff: Headers;
  let partner: Headers;
  const invitations = {} as { sitiFirst: string; sitiSecond: string; budiFirst: string; chandaFirst: string; budiSecond: string };
  let institutionId: string;
  let proposalId: string;

  const exportOf = (subjectId: string, as: Headers = admin) => stack.http.get(`/api/privacy/subjects/${subjectId}/export`).set(as);
  /** The subject whose sealed values an invitation's first event holds (the subject id is kept in clear). */
  const subjectOfStream = async (streamId: string, field = 'fullName') => {
    const [row] = await queryRows<{ value: string }>(stack.db.url, `SELECT data #>> $2 AS value FROM events WHERE stream_id = $1 AND version = 1`, [streamId, `{${field.split('.').join(',')}}`]);
    return row.value.split('.')[1];
  };
  const mailFor = (email: string, title: string) =>
    waitFor(() => stack.smtp.to(email).find((mail) => (mail.parsed.text ?? '').includes(title))?.parsed.text, { ...WAIT, what: `the invitation to ${title} for ${email}` });

  beforeAll(async () => {
    stack = await startStack('privacy_export');
    admin = bearer(stack.token);
    await stack.http.post('/api/staff').set(admin).send(STAFF).expect(201);
    staff = bearer((await stack.http.post('/api/auth/login').send({ email: STAFF.email, password: STAFF.password }).expect(200)).body.accessToken);

    const invite = async (title: string, people: object[]) => {
      const id = (await stack.http.post('/api/workshops').set(admin).send({ ...PLAN, title }).expect(201)).body.id;
      await stack.http.post(`/api/workshops/${id}/open-registration`).set(admin).expect(200);
      return (await stack.http.post(`/api/workshops/${id}/invitations`).set(admin).send({ participants: people }).expect(202)).body.items.map((item: { id: string }) => item.id);
    };
    [invitations.sitiFirst, invitations.budiFirst, invitations.chandaFirst] = await invite('Data governance week', [SITI, BUDI, CHANDA]);
    [invitations.budiSecond, invitations.sitiSecond] = await invite('Digital health forum', [BUDI, SITI]);
    await stack.http.post(`/api/rsvp/${tokenIn(await mailFor(SITI.email, 'Data governance week'))}`).send({ response: 'accept' }).expect(200);
    await stack.http.post(`/api/rsvp/${tokenIn(await mailFor(BUDI.email, 'Digital health forum'))}`).send({ response: 'decline' }).expect(200);
    await mailFor(SITI.email, 'Digital health forum');

    const institution = await partnerInstitution(stack, 'Université Cheikh Anta Diop', AWA);
    institutionId = institution.id;
    partner = institution.headers;
    await stack.http.post(`/api/partner-institutions/${institutionId}/contacts`).set(admin).send(MOUSSA).expect(201);
    proposalId = (await stack.http.post('/api/proposals').set(partner).send({ title: 'Rural screening', summary: 'Screening in clinics.', sectors: ['health'], countries: ['SN'], durationMonths: 12 }).expect(201)).body.id;
    await stack.http.put('/api/ministries/ID').set(admin).send({ ministryName: 'Kominfo', email: DEWI, language: 'en' }).expect(200);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("gives a participant invited to two workshops every field written about them, decrypted, with their answer and e-mails, and nothing of the other participants", async () => {
    const siti = await subjectOfStream(`invitation-${invitations.sitiFirst}`);
    expect(await subjectOfStream(`invitation-${invitations.sitiSecond}`)).toBe(siti);
    const body = await waitFor(
      async () => {
        const answer = await exportOf(siti).expect(200);
        const statuses = answer.body.records.invitations.map((invitation: { status: string }) => invitation.status).sort();
        const sent = answer.body.emails.filter((email: { status: string }) => email.status === 'sent').length;
        return statuses.join() === 'accepted,emailed' && sent === 2 ? answer.body : null;
      },
      { ...WAIT, what: "Siti's answer and both e-mails in her export" },
    );
    expect(body).toMatchObject({ subjectId: siti, generatedAt: expect.any(String) });

    const issued = body.events.filter((event: { type: string }) => event.type === 'InvitationIssued');
    expect(issued.map((event: { streamId: string }) => event.streamId).sort()).toEqual([`invitation-${invitations.sitiFirst}`, `invitation-${invitations.sitiSecond}`].sort());
    for (const event of issued) expect(event.data).toMatchObject({ fullName: SITI.fullName, email: SITI.email, organization: SITI.organization, position: SITI.position, country: 'ID' });
    expect(body.events).toEqual(expect.arrayContaining([
      expect.objectContaining({ streamId: `invitation-${invitations.sitiFirst}`, type: 'InvitationAccepted', recordedAt: expect.any(String) }),
      expect.objectContaining({ streamId: `invitation-${invitations.sitiFirst}`, type: 'InvitationEmailed' }),
      expect.objectContaining({ streamId: `invitation-${invitations.sitiSecond}`, type: 'InvitationEmailed' }),
    ]));
    // The workshops' invitation lists name her among others: she gets her own entry only.
    const invited = body.events.filter((event: { type: string }) => event.type === 'WorkshopParticipantsInvited');
    expect(invited.map((event: { data: { invitations: unknown[] } }) => event.data.invitations).sort()).toEqual(
      [[{ invitationId: invitations.sitiFirst, email: SITI.email }], [{ invitationId: invitations.sitiSecond, email: SITI.email }]].sort(),
    );

    expect(body.records.invitations).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: invitations.sitiFirst, workshopTitle: 'Data governance week', status: 'accepted', respondedAt: expect.any(String), ...SITI }),
      expect.objectContaining({ id: invitations.sitiSecond, workshopTitle: 'Digital health forum', status: 'emailed', ...SITI }),
    ]));
    expect(body.emails).toEqual([
      { kind: 'invitation', subject: expect.any(String), sentAt: expect.any(String), status: 'sent' },
      { kind: 'invitation', subject: expect.any(String), sentAt: expect.any(String), status: 'sent' },
    ]);
    expect(body.records).toMatchObject({ contacts: [], accounts: [], ministryContacts: [], proposalsAuthored: [] });

    const text = JSON.stringify(body).toLowerCase();
    for (const other of [...traces(BUDI), ...traces(CHANDA), invitations.budiFirst, invitations.budiSecond, invitations.chandaFirst]) {
      expect({ other, found: text.includes(other) }).toEqual({ other, found: false });
    }
    expect(text).not.toContain('pd1.');
  });

  it("gives a partner contact their contact entry, account, proposal and activation e-mail, and nothing of the institution's other contact; their own export is the same", async () => {
    const awa = await subjectOfStream(`institution-${institutionId}`, 'contact.fullName');
    const body = await waitFor(
      async () => {
        const answer = (await exportOf(awa).expect(200)).body;
        return answer.records.proposalsAuthored.length === 1 && answer.emails.length === 1 ? answer : null;
      },
      { ...WAIT, what: "Awa's proposal and activation e-mail in her export" },
    );
    expect(body.events).toEqual([
      expect.objectContaining({ streamId: `institution-${institutionId}`, type: 'InstitutionRegistered', data: expect.objectContaining({ contact: expect.objectContaining({ fullName: AWA.fullName, email: AWA.email }) }) }),
    ]);
    expect(body.records.contacts).toEqual([expect.objectContaining({ institutionId, institutionName: 'Université Cheikh Anta Diop', fullName: AWA.fullName, email: AWA.email })]);
    expect(body.records.accounts).toEqual([expect.objectContaining({ email: AWA.email, fullName: AWA.fullName, role: 'partner', institutionId, closedAt: null })]);
    expect(body.records.proposalsAuthored).toEqual([expect.objectContaining({ id: proposalId, title: 'Rural screening', status: 'draft', foundBy: 'author' })]);
    expect(body.emails).toEqual([{ kind: 'account-activation', subject: expect.any(String), sentAt: expect.any(String), status: 'sent' }]);
    const text = JSON.stringify(body).toLowerCase();
    for (const other of [...traces(MOUSSA), 'password', '$argon2', 'pd1.']) expect({ other, found: text.includes(other) }).toEqual({ other, found: false });

    const own = (await stack.http.get('/api/me/personal-data').set(partner).expect(200)).body;
    expect({ ...own, generatedAt: undefined }).toEqual({ ...body, generatedAt: undefined });
  });

  it("gives a ministry contact their ministry while it is theirs, and the events that named them", async () => {
    const dewi = await subjectOfStream('ministry-ID', 'email');
    const before = await waitFor(
      async () => {
        const answer = (await exportOf(dewi).expect(200)).body;
        return answer.records.ministryContacts.length === 1 ? answer : null;
      },
      { ...WAIT, what: 'the ministry contact projected' },
    );
    expect(before.records.ministryContacts).toEqual([expect.objectContaining({ country: 'ID', ministryName: 'Kominfo', email: DEWI })]);
    expect(before.events).toEqual([expect.objectContaining({ type: 'MinistryContactSet', data: expect.objectContaining({ email: DEWI, country: 'ID' }) })]);

    const changed = await stack.http.put('/api/ministries/ID').set(admin).send({ ministryName: 'Kominfo', email: DEWI_SUCCESSOR, language: 'en' }).expect(200);
    const after = (await exportOf(dewi).set('X-Min-Position', String(changed.body.position)).expect(200)).body;
    expect(after.records.ministryContacts).toEqual([]);
    expect(after.events.map((event: { type: string }) => event.type)).toEqual(['MinistryContactSet']);
    expect(JSON.stringify(after)).not.toContain(DEWI_SUCCESSOR);
  });

  it('shows an erased participant\'s fields as "[erased]", with the record of the erasure', async () => {
    const chanda = await subjectOfStream(`invitation-${invitations.chandaFirst}`);
    const erasure = stack.api.get(SubjectErasure);
    await erasure.erase(chanda, { reason: 'Asked by the participant', basis: 'request', actor: null, now: Date.now() });
    const body = (await exportOf(chanda).expect(200)).body;
    const issued = body.events.find((event: { type: string }) => event.type === 'InvitationIssued');
    expect(issued).toMatchObject({ personalDataErased: true, data: { fullName: '[erased]', email: '[erased]', organization: '[erased]', position: '[erased]', country: 'ZM' } });
    expect(body.events).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: `subject-${chanda}`, type: 'PersonalDataErased', data: expect.objectContaining({ reason: 'Asked by the participant' }) })]));
    const events = JSON.stringify(body.events).toLowerCase();
    for (const trace of traces(CHANDA)) expect({ trace, found: events.includes(trace) }).toEqual({ trace, found: false });
  });

  it("still finds an erased partner contact's entry and account, by the account id their events keep in clear", async () => {
    const [row] = await queryRows<{ value: string }>(stack.db.url, "SELECT data #>> '{contact,fullName}' AS value FROM events WHERE stream_id = $1 AND type = 'InstitutionContactAdded'", [`institution-${institutionId}`]);
    const moussa = row.value.split('.')[1];
    await stack.api.get(SubjectErasure).erase(moussa, { reason: 'Asked by the contact', basis: 'request', actor: null, now: Date.now() });
    const body = (await exportOf(moussa).expect(200)).body;
    expect(body.events).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'InstitutionContactAdded', personalDataErased: true, data: expect.objectContaining({ contact: expect.objectContaining({ fullName: '[erased]', email: '[erased]' }) }) }),
    ]));
    expect(body.records.contacts).toEqual([expect.objectContaining({ institutionId })]);
    expect(body.records.accounts).toEqual([expect.objectContaining({ id: body.records.contacts[0].userId, role: 'partner' })]);
    expect(JSON.stringify(body).toLowerCase()).not.toContain(AWA.email);
  });

  it('refuses staff and partners, names a malformed id, and does not know a subject no one has', async () => {
    const siti = await subjectOfStream(`invitation-${invitations.sitiFirst}`);
    await exportOf(siti, staff).expect(403);
    await exportOf(siti, partner).expect(403);
    await stack.http.get(`/api/privacy/subjects/${siti}/export`).expect(401);
    expect((await exportOf(randomUUID()).expect(404)).headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await exportOf('not-a-subject').expect(400)).body.errors).toEqual([{ field: 'subjectId', message: 'must be a UUID' }]);
    await stack.http.get('/api/me/personal-data').set(admin).expect(403);
    await stack.http.get('/api/me/personal-data').set(staff).expect(403);
  });

  it('gives a partner whose address no event named an export of their account, not a 404', async () => {
    const id = randomUUID();
    const email = 'legacy.partner@ucad.sn.test';
    await queryRows(stack.db.url, `INSERT INTO users (id, email, full_name, role, password_hash, institution_id) VALUES ($1, $2, 'Legacy Partner', 'partner', $3, $4)`, [
      id,
      email,
      await hashPassword('partner-password-Lg5!vB8n'),
      institutionId,
    ]);
    const token = (await stack.http.post('/api/auth/login').send({ email, password: 'partner-password-Lg5!vB8n' }).expect(200)).body.accessToken;
    const body = (await stack.http.get('/api/me/personal-data').set(bearer(token)).expect(200)).body;
    expect(body).toMatchObject({ subjectId: null, events: [], emails: [], records: { invitations: [], contacts: [], ministryContacts: [], proposalsAuthored: [] } });
    expect(body.records.accounts).toEqual([expect.objectContaining({ id, email, fullName: 'Legacy Partner', role: 'partner' })]);
    expect(JSON.stringify(body)).not.toContain(AWA.email);
  });
});
