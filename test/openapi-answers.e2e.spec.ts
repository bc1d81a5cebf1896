import type { Response } from 'supertest';
import { waitFor } from '@passerelle/testing';
import { expectDocumented, type OpenApiDocument } from './support/openapi-shapes';
import { queryRows } from './support/sql';
import { type Stack, startStack, tokenIn } from './support/stack';

/**
 * The OpenAPI document says what the API answers: a tour of every JSON operation, each answer checked
 * against the status and schema its operation documents (no field it does not describe, none it
 * requires missing, types and enums as said), problem+json errors included.
 */

type Headers = Record<string, string>;
const PARTNER_PASSWORD = 'partner-password-0123';
const STAFF_PASSWORD = 'staff-password-0123';
const activationTokenIn = (text: string) => /\/activate\/([A-Za-z0-9_-]{43})/.exec(text)![1];

describe('answers as the OpenAPI document describes them', () => {
  let stack: Stack;
  let document: OpenApiDocument;
  let admin: Headers;

  beforeAll(async () => {
    stack = await startStack('openapi_answers', { env: { APPROVALS_REQUIRED: '1' } });
    document = (await stack.http.get('/docs-json').expect(200)).body;
    admin = { Authorization: `Bearer ${stack.token}` };
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** The answer, checked against the document; its body for what follows. */
  async function documented(route: string, answer: PromiseLike<Response>, status: number) {
    const response = await answer;
    expect({ route, status: response.status, body: response.status === status ? undefined : response.body }).toEqual({ route, status, body: undefined });
    expectDocumented(document, route, response);
    return response.body;
  }
  /** A read that waits for the write at `position` to be projected. */
  const after = (position: number): Headers => ({ 'X-Min-Position': String(position) });
  const mailTo = (email: string) =>
    waitFor(() => (stack.smtp.to(email).length > 0 ? stack.smtp.to(email)[0].parsed.text ?? '' : null), { timeoutMs: 30_000, what: `an e-mail to ${email}` });

  it('accounts, health and a problem', async () => {
    const http = stack.http;
    await documented('GET /health', http.get('/health'), 200);
    await documented('POST /api/auth/login', http.post('/api/auth/login').send({ email: 'admin@passerelle.test', password: 'wrong-password-0000' }), 401);
    await documented('POST /api/staff', http.post('/api/staff').set(admin).send({ email: 'docs.staff@institute.test', fullName: 'Docs Staff', password: STAFF_PASSWORD }), 201);
    const login = await documented('POST /api/auth/login', http.post('/api/auth/login').send({ email: 'docs.staff@institute.test', password: STAFF_PASSWORD }), 200);
    await documented('GET /api/me', http.get('/api/me').set({ Authorization: `Bearer ${login.accessToken}` }), 200);
    const staffHeaders = { Authorization: `Bearer ${login.accessToken}` };
    await documented('POST /api/me/password', http.post('/api/me/password').set(staffHeaders).send({ currentPassword: 'not-the-password', newPassword: 'staff-password-4567' }), 400);
    await documented('POST /api/me/password', http.post('/api/me/password').set(staffHeaders).send({ currentPassword: STAFF_PASSWORD, newPassword: 'staff-password-4567' }), 200);
    await documented('POST /api/accounts/{id}/close', http.post(`/api/accounts/${login.user.id}/close`).set(admin), 200);
    await documented('POST /api/accounts/{id}/close', http.post(`/api/accounts/${login.user.id}/close`).set(admin), 409);
    await documented('POST /api/workshops', http.post('/api/workshops').set(admin).send({ title: 42 }), 400);
    await documented('GET /api/workshops/{id}', http.get('/api/workshops/0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60').set(admin), 404);
    // The workbooks answer XLSX (declared as binary); their problems are JSON, as documented.
    await documented('GET /api/exports/proposals.xlsx', http.get('/api/exports/proposals.xlsx?language=english').set(admin), 400);
    await documented('GET /api/exports/partnerships.xlsx', http.get('/api/exports/partnerships.xlsx?country=ZZ').set(admin), 400);
    await documented('GET /api/workshops/{id}/participants.xlsx', http.get('/api/workshops/0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60/participants.xlsx').set(admin), 404);
  });

  it('workshops, invitations, RSVP, ministries, reports and the audit', async () => {
    const http = stack.http;
    const plan = { title: 'Digital public services', hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: '2031-03-10', endsOn: '2031-03-12', themes: ['health'], timeZone: 'Africa/Lusaka' };
    const created = await documented('POST /api/workshops', http.post('/api/workshops').set(admin).send(plan), 201);
    const id: string = created.id;
    const study = await documented('POST /api/workshops/{id}/sessions', http.post(`/api/workshops/${id}/sessions`).set(admin).send({ kind: 'study', title: 'Study', startsAt: '2031-03-10T09:00:00Z', endsAt: '2031-03-10T12:00:00Z', location: 'Hall' }), 201);
    const sharing = await documented('POST /api/workshops/{id}/sessions', http.post(`/api/workshops/${id}/sessions`).set(admin).send({ kind: 'solutions_sharing', title: 'Sharing', startsAt: '2031-03-11T09:00:00Z', endsAt: '2031-03-11T12:00:00Z' }), 201);
    await documented('POST /api/workshops/{id}/open-registration', http.post(`/api/workshops/${id}/open-registration`).set(admin), 200);
    const person = { fullName: 'Chanda Mwale', email: 'chanda@ministry.zm.test', country: 'ZM', organization: 'Ministry', position: 'Director', language: 'en' };
    const invited = await documented('POST /api/workshops/{id}/invitations', http.post(`/api/workshops/${id}/invitations`).set(admin).send({ participants: [person, { ...person, email: 'bwalya@ministry.zm.test', position: undefined }] }), 202);

    const token = tokenIn(await mailTo(person.email));
    await waitFor(async () => (await http.get(`/api/rsvp/${token}`)).status === 200, { timeoutMs: 30_000, what: 'the invitation projected' });
    await documented('GET /api/rsvp/{token}', http.get(`/api/rsvp/${token}`), 200);
    const answered = await documented('POST /api/rsvp/{token}', http.post(`/api/rsvp/${token}`).send({ response: 'accept' }), 200);
    await documented('GET /api/workshops/{id}/invitations', http.get(`/api/workshops/${id}/invitations`).set(admin).set(after(answered.position)), 200);

    await documented('POST /api/workshops/{id}/start', http.post(`/api/workshops/${id}/start`).set(admin), 200);
    await documented('POST /api/workshops/{id}/sessions/{sessionId}/attendance', http.post(`/api/workshops/${id}/sessions/${study.sessionId}/attendance`).set(admin).send({ invitationIds: [invited.items[0].id] }), 200);
    const solution = await documented('POST /api/workshops/{id}/solutions', http.post(`/api/workshops/${id}/solutions`).set(admin).send({ company: 'MedVision', title: 'Screening', sector: 'health', sessionId: sharing.sessionId }), 201);
    await documented('GET /api/workshops', http.get('/api/workshops').set(admin).set(after(solution.position)), 200);
    const detail = await documented('GET /api/workshops/{id}', http.get(`/api/workshops/${id}`).set(admin).set(after(solution.position)), 200);
    expect(detail.timeZone).toBe('Africa/Lusaka');

    const ministry = await documented('PUT /api/ministries/{country}', http.put('/api/ministries/zm').set(admin).send({ ministryName: 'Ministry of Technology', email: 'ict@mots.zm.test', language: 'en' }), 200);
    await documented('GET /api/ministries', http.get('/api/ministries').set(admin).set(after(ministry.position)), 200);
    await documented('POST /api/workshops/{id}/conclude', http.post(`/api/workshops/${id}/conclude`).set(admin), 202);
    await waitFor(async () => (await http.get(`/api/workshops/${id}/report`).set(admin)).body?.status === 'sent', { timeoutMs: 60_000, what: 'the report sent' });
    await documented('GET /api/workshops/{id}/report', http.get(`/api/workshops/${id}/report`).set(admin), 200);
    await documented('GET /api/audit/{streamType}/{id}', http.get(`/api/audit/workshop/${id}`).set(admin), 200);

    // Access requests: a participant's export (invitation, answer, e-mails) and the ministry contact's (its report e-mail).
    const sealed = await queryRows<{ value: string }>(stack.db.url, "SELECT data->>'fullName' AS value FROM events WHERE stream_id = $1 AND version = 1", [`invitation-${invited.items[0].id}`]);
    const exported = await documented('GET /api/privacy/subjects/{subjectId}/export', http.get(`/api/privacy/subjects/${sealed[0].value.split('.')[1]}/export`).set(admin), 200);
    expect(exported.records.invitations).toHaveLength(1);
    const contact = await queryRows<{ value: string }>(stack.db.url, "SELECT data->>'email' AS value FROM events WHERE stream_id = 'ministry-ZM' AND version = 1");
    const ministryExport = await documented('GET /api/privacy/subjects/{subjectId}/export', http.get(`/api/privacy/subjects/${contact[0].value.split('.')[1]}/export`).set(admin), 200);
    expect(ministryExport.emails).toEqual([expect.objectContaining({ kind: 'report', status: 'sent' })]);
    await documented('GET /api/privacy/subjects/{subjectId}/export', http.get('/api/privacy/subjects/0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60/export').set(admin), 404);
    await documented('GET /api/privacy/subjects/{subjectId}/export', http.get('/api/privacy/subjects/someone/export').set(admin), 400);
  });

  it('partners, proposals and partnerships', async () => {
    const http = stack.http;
    const contact = { fullName: 'Awa Diop', email: 'awa.docs@ucad.sn.test', language: 'fr' };
    const registered = await documented('POST /api/partner-institutions', http.post('/api/partner-institutions').set(admin).send({ name: 'UCAD', country: 'SN', website: 'https://www.ucad.sn', contact }), 201);
    const institution: string = registered.id;
    const added = await documented('POST /api/partner-institutions/{id}/contacts', http.post(`/api/partner-institutions/${institution}/contacts`).set(admin).send({ fullName: 'Moussa Sow', email: 'moussa.docs@ucad.sn.test', language: 'fr' }), 201);
    await documented('GET /api/partner-institutions', http.get('/api/partner-institutions').set(admin).set(after(added.position)), 200);
    await documented('GET /api/partner-institutions/{id}', http.get(`/api/partner-institutions/${institution}`).set(admin).set(after(added.position)), 200);
    await documented('POST /api/auth/activate', http.post('/api/auth/activate').send({ token: activationTokenIn(await mailTo(contact.email)), password: PARTNER_PASSWORD }), 200);
    const login = await http.post('/api/auth/login').send({ email: contact.email, password: PARTNER_PASSWORD }).expect(200);
    const partner = { Authorization: `Bearer ${login.body.accessToken}` };

    const fields = { title: 'Rural screening', summary: 'Screening in clinics.', sectors: ['health'], countries: ['SN'], durationMonths: 12, budget: { amount: 1000, currency: 'EUR' } };
    const draft = async () => (await documented('POST /api/proposals', http.post('/api/proposals').set(partner).send(fields), 201)).id as string;
    const proposal = await draft();
    await documented('PATCH /api/proposals/{id}', http.patch(`/api/proposals/${proposal}`).set(partner).send({ budget: null }), 200);
    await documented('POST /api/proposals/{id}/submit', http.post(`/api/proposals/${proposal}/submit`).set(partner), 200);
    await documented('POST /api/proposals/{id}/request-changes', http.post(`/api/proposals/${proposal}/request-changes`).set(admin).send({ comment: 'Say more.' }), 409);
    await documented('POST /api/proposals/{id}/conflict-declarations', http.post(`/api/proposals/${proposal}/conflict-declarations`).set(admin).send({ conflict: false }), 201);
    await documented('POST /api/proposals/{id}/conflict-declarations', http.post(`/api/proposals/${proposal}/conflict-declarations`).set(admin).send({ conflict: true, reason: 'Former employer' }), 409);
    await documented('POST /api/proposals/{id}/conflict-declarations', http.post(`/api/proposals/${proposal}/conflict-declarations`).set(admin).send({ conflict: true }), 400);
    await documented('POST /api/proposals/{id}/request-changes', http.post(`/api/proposals/${proposal}/request-changes`).set(admin).send({ comment: 'Say more.' }), 200);
    await documented('POST /api/proposals/{id}/submit', http.post(`/api/proposals/${proposal}/submit`).set(partner), 200);
    await documented('POST /api/proposals/{id}/reviews', http.post(`/api/proposals/${proposal}/reviews`).set(admin).send({ score: 4, recommendation: 'approve', comment: 'Sound.' }), 201);
    const approved = await documented('POST /api/proposals/{id}/approve', http.post(`/api/proposals/${proposal}/approve`).set(admin), 200);
    expect(approved.status).toBe('approved');
    await documented('GET /api/proposals', http.get('/api/proposals').set(partner).set(after(approved.position)), 200);
    await documented('GET /api/proposals/{id}', http.get(`/api/proposals/${proposal}`).set(admin).set(after(approved.position)), 200);

    const rejected = await draft();
    await http.post(`/api/proposals/${rejected}/submit`).set(partner).expect(200);
    await http.post(`/api/proposals/${rejected}/conflict-declarations`).set(admin).send({ conflict: false }).expect(201);
    await documented('POST /api/proposals/{id}/reject', http.post(`/api/proposals/${rejected}/reject`).set(admin).send({ reason: 'Out of scope.' }), 200);
    const withdrawn = await documented('POST /api/proposals/{id}/withdraw', http.post(`/api/proposals/${await draft()}/withdraw`).set(partner).send({}), 200);
    const own = await documented('GET /api/me/personal-data', http.get('/api/me/personal-data').set(partner).set(after(withdrawn.position)), 200);
    expect(own.records.proposalsAuthored).toHaveLength(3);
    await documented('GET /api/me/personal-data', http.get('/api/me/personal-data').set(admin), 403);

    const established = await waitFor(async () => (await http.get('/api/partnerships').set(admin)).body.items?.[0]?.id as string | undefined, { timeoutMs: 30_000, what: 'the partnership' });
    await documented('GET /api/partnerships', http.get('/api/partnerships').set(partner), 200);
    await documented('GET /api/partnerships/{id}', http.get(`/api/partnerships/${established}`).set(partner), 200);
    await documented('POST /api/partnerships/{id}/suspend', http.post(`/api/partnerships/${established}/suspend`).set(admin).send({ reason: 'Audit' }), 200);
    await documented('POST /api/partnerships/{id}/resume', http.post(`/api/partnerships/${established}/resume`).set(admin).send({}), 200);
    await documented('POST /api/partnerships/{id}/renew', http.post(`/api/partnerships/${established}/renew`).set(admin).send({ endsOn: '2099-12-31' }), 200);
    await documented('POST /api/partnerships/{id}/renew', http.post(`/api/partnerships/${established}/renew`).set(admin).send({ endsOn: '2099-12-30' }), 409);
    await documented('PATCH /api/partnerships/{id}/term', http.patch(`/api/partnerships/${established}/term`).set(admin).send({ startsOn: '2030-13-01' }), 400);
    await documented('PATCH /api/partnerships/{id}/term', http.patch(`/api/partnerships/${established}/term`).set(admin).send({ startsOn: '2020-01-01', endsOn: '2099-06-30' }), 200);
    await documented('POST /api/partnerships/{id}/conclude', http.post(`/api/partnerships/${established}/conclude`).set(admin).send({}), 200);
  });

  it('calls for proposals, and a proposal to one', async () => {
    const http = stack.http;
    const hour = 3_600_000;
    const call = {
      title: 'Digital health 2031',
      summary: 'Proposals on digital health.',
      sectors: ['health'],
      countries: ['SN'],
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + hour).toISOString(),
      budgetCeiling: { amount: 5000, currency: 'EUR' },
    };
    await documented('POST /api/calls', http.post('/api/calls').set(admin).send({ ...call, closesAt: call.opensAt }), 400);
    const opened = await documented('POST /api/calls', http.post('/api/calls').set(admin).send(call), 201);
    const scheduled = await documented('POST /api/calls', http.post('/api/calls').set(admin).send({ ...call, opensAt: new Date(Date.now() + hour).toISOString(), closesAt: new Date(Date.now() + 2 * hour).toISOString(), budgetCeiling: undefined }), 201);
    await documented('GET /api/calls', http.get('/api/calls?status=open').set(admin).set(after(scheduled.position)), 200);
    await documented('GET /api/calls/{id}', http.get(`/api/calls/${opened.id}`).set(admin).set(after(scheduled.position)), 200);
    await documented('GET /api/calls/{id}', http.get(`/api/calls/${scheduled.id}`).set(admin), 200);

    const contact = { fullName: 'Fatou Sarr', email: 'fatou.docs@ucad.sn.test', language: 'fr' };
    await http.post('/api/partner-institutions').set(admin).send({ name: 'UCAD Santé', country: 'SN', contact }).expect(201);
    await http.post('/api/auth/activate').send({ token: activationTokenIn(await mailTo(contact.email)), password: PARTNER_PASSWORD }).expect(200);
    const login = await http.post('/api/auth/login').send({ email: contact.email, password: PARTNER_PASSWORD }).expect(200);
    const partner = { Authorization: `Bearer ${login.body.accessToken}` };
    await documented('GET /api/calls', http.get('/api/calls').set(partner), 200);
    await documented('GET /api/calls/{id}', http.get(`/api/calls/${scheduled.id}`).set(partner), 404);
    const fields = { title: 'Rural screening', summary: 'Screening in clinics.', sectors: ['health'], countries: ['SN'], durationMonths: 12, callId: opened.id };
    await documented('POST /api/proposals', http.post('/api/proposals').set(partner).send({ ...fields, budget: { amount: 9000, currency: 'EUR' } }), 409);
    const proposal = await documented('POST /api/proposals', http.post('/api/proposals').set(partner).send({ ...fields, budget: { amount: 4000, currency: 'EUR' } }), 201);
    await documented('GET /api/proposals/{id}', http.get(`/api/proposals/${proposal.id}`).set(partner).set(after(proposal.position)), 200);
    await documented('GET /api/proposals', http.get(`/api/proposals?callId=${opened.id}`).set(partner), 200);
    await documented('POST /api/calls/{id}/close', http.post(`/api/calls/${opened.id}/close`).set(admin).send({ reason: 'Budget reallocated' }), 200);
    await documented('POST /api/calls/{id}/close', http.post(`/api/calls/${opened.id}/close`).set(admin).send({}), 409);
    await documented('POST /api/proposals/{id}/submit', http.post(`/api/proposals/${proposal.id}/submit`).set(partner), 409);
  });
});
