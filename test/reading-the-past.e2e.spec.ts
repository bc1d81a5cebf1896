import type { Response } from 'supertest';
import { ERASED } from '@passerelle/event-store-core';
import { PersonalDataVault, SubjectErasure } from '@passerelle/privacy';
import { waitFor } from '@passerelle/testing';
import { expectDocumented, type OpenApiDocument } from './support/openapi-shapes';
import { type Stack, startStack } from './support/stack';

/**
 * Reading the past (issue 21, API.md "Reading the past"): a proposal, a partnership and a workshop read
 * with `?asOf=` or `?version=` answer as they were then, folded from their streams, with `X-As-Of-Version`.
 * What "as it was" means is taken from the API itself: after each write, today's detail (from the read
 * model) is kept, and the past read at that version, and at times between writes, must equal it.
 */

type Headers = Record<string, string>;
type Item = Record<string, any>;
const PASSWORD = 'partner-password-for-the-past';
const STAFF_PASSWORD = 'staff-password-for-the-past';
const MISSING = '0b7f3c1e-5a2d-4c8e-9f6a-1d2b3c4e5f60';
const PROPOSAL = { title: 'AI triage in district clinics', summary: 'Models for rural triage', sectors: ['healthcare'], countries: ['ZM'], durationMonths: 18 };
const SITI = { fullName: 'Siti Rahmawati', email: 'siti.rahmawati@kominfo.go.test', country: 'ID', organization: 'Kominfo', language: 'en' };
const BUDI = { fullName: 'Budi Hartono', email: 'budi.hartono@kominfo.go.test', country: 'ID', organization: 'Kominfo', language: 'en' };

describe('reading the past of a proposal, a partnership and a workshop', () => {
  let stack: Stack;
  let admin: Headers;
  let staff: Headers;
  let partnerA: Headers;
  let partnerB: Headers;
  let document: OpenApiDocument;

  beforeAll(async () => {
    stack = await startStack('reading_the_past', { env: { APPROVALS_REQUIRED: '1' } });
    admin = { Authorization: `Bearer ${stack.token}` };
    document = (await stack.http.get('/docs-json').expect(200)).body;
    await stack.http.post('/api/staff').set(admin).send({ email: 'amina@institute.test', fullName: 'Amina', password: STAFF_PASSWORD }).expect(201);
    staff = await bearer('amina@institute.test', STAFF_PASSWORD);
    partnerA = await partner('University of Zambia', 'ZM', 'contact@unza.test');
    partnerB = await partner('University of Ibadan', 'NG', 'contact@ui.test');
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function bearer(email: string, password: string): Promise<Headers> {
    const login = await stack.http.post('/api/auth/login').send({ email, password }).expect(200);
    return { Authorization: `Bearer ${login.body.accessToken}` };
  }

  /** A registered institution's contact, activated and signed in. */
  async function partner(name: string, country: string, email: string): Promise<Headers> {
    await stack.http.post('/api/partner-institutions').set(admin).send({ name, country, contact: { fullName: `Contact of ${name}`, email, language: 'en' } }).expect(201);
    await waitFor(() => stack.smtp.to(email).length === 1, { timeoutMs: 30_000, what: `the activation e-mail to ${email}` });
    const token = /\/activate\/([A-Za-z0-9_-]{43})/.exec(stack.smtp.to(email)[0].parsed.text ?? '')![1];
    await stack.http.post('/api/auth/activate').send({ token, password: PASSWORD }).expect(200);
    return bearer(email, PASSWORD);
  }

  /** Who has declared, on which proposal. */
  const declared = new Set<string>();

  /** A staff member's review, sending back or approval of a proposal, after their declaration of no conflict of interest (once each). */
  async function asReviewer(as: Headers, proposalId: string, action: 'reviews' | 'request-changes' | 'approve', body: object = {}): Promise<Response> {
    const who = `${as.Authorization} ${proposalId}`;
    if (!declared.has(who)) {
      await stack.http.post(`/api/proposals/${proposalId}/conflict-declarations`).set(as).send({ conflict: false }).expect(201);
      declared.add(who);
    }
    return stack.http.post(`/api/proposals/${proposalId}/${action}`).set(as).send(body);
  }

  /** Today's detail once the read model has reached `position` (a 503 is asked again, as the contract allows). */
  async function today(path: string, as: Headers, position: number): Promise<Item> {
    return waitFor(
      async () => {
        const answer = await stack.http.get(path).set(as).set('X-Min-Position', String(position));
        if (answer.status === 503) return null;
        expect({ path, status: answer.status }).toEqual({ path, status: 200 });
        return answer.body;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: `GET ${path} at position ${position}` },
    );
  }

  /** A read of the past: its status, its body and the version it says it shows. */
  async function past(path: string, as: Headers, query: string): Promise<{ status: number; body: Item; asOfVersion: string | undefined }> {
    const answer = await stack.http.get(`${path}?${query}`).set(as);
    return { status: answer.status, body: answer.body, asOfVersion: answer.headers['x-as-of-version'] };
  }

  /**
   * The past at each version and at times between them equals what today's detail said then; before the
   * first, at version 0 and beyond the last, 404. `stream` is every event's version and time, in order.
   */
  async function expectThePast(path: string, as: Headers, then: Map<number, Item>, stream: { version: number; at: string }[]): Promise<void> {
    for (const [version, state] of then) {
      expect({ version, ...(await past(path, as, `version=${version}`)) }).toEqual({ version, status: 200, body: state, asOfVersion: String(version) });
    }
    // Each event's own time, and a time between it and the next event (when the clock moved between them).
    for (let i = 0; i < stream.length; i += 1) {
      const at = Date.parse(stream[i].at);
      const next = i + 1 < stream.length ? Date.parse(stream[i + 1].at) : at + 60_000;
      // Events of one write share a time: that time shows the last of them.
      let last = i;
      while (last + 1 < stream.length && Date.parse(stream[last + 1].at) === at) last += 1;
      const shown = stream[last].version;
      const expected = then.get(shown);
      if (!expected) continue;
      for (const asOf of next - at >= 2 ? [at, Math.floor((at + next) / 2)] : [at]) {
        const iso = new Date(asOf).toISOString();
        expect({ asOf: iso, ...(await past(path, as, `asOf=${iso}`)) }).toEqual({ asOf: iso, status: 200, body: expected, asOfVersion: String(shown) });
      }
    }
    const before = new Date(Date.parse(stream[0].at) - 1).toISOString();
    expect((await past(path, as, `asOf=${before}`)).status).toBe(404);
    expect((await past(path, as, 'version=0')).status).toBe(404);
    expect((await past(path, as, `version=${stream[stream.length - 1].version + 1}`)).status).toBe(404);
  }

  let proposalId: string;

  it('reads a proposal at each version and between them exactly as it was, to its owner and staff only', async () => {
    const then = new Map<number, Item>();
    const keep = async (write: Response, status: number) => {
      expect({ status: write.status, body: write.status === status ? undefined : write.body }).toEqual({ status, body: undefined });
      then.set(write.body.version, await today(`/api/proposals/${write.body.id ?? proposalId}`, partnerA, write.body.position));
    };
    const created = await stack.http.post('/api/proposals').set(partnerA).send({ ...PROPOSAL, budget: { amount: 120000, currency: 'USD' } });
    proposalId = created.body.id;
    await keep(created, 201);
    await keep(await stack.http.patch(`/api/proposals/${proposalId}`).set(partnerA).send({ durationMonths: 24, countries: ['ZM', 'MW'] }), 200);
    await keep(await stack.http.post(`/api/proposals/${proposalId}/submit`).set(partnerA), 200);
    await keep(await asReviewer(staff, proposalId, 'reviews', { score: 3, recommendation: 'revise', comment: 'Detail the budget' }), 201);
    await keep(await asReviewer(staff, proposalId, 'request-changes', { comment: 'Please detail the budget.' }), 200);
    await keep(await stack.http.patch(`/api/proposals/${proposalId}`).set(partnerA).send({ budget: { amount: 150000, currency: 'USD' }, summary: 'Models for rural triage, costed' }), 200);
    await keep(await stack.http.post(`/api/proposals/${proposalId}/submit`).set(partnerA), 200);
    await keep(await asReviewer(admin, proposalId, 'reviews', { score: 5, recommendation: 'approve', comment: 'Now sound' }), 201);
    const approved = await asReviewer(staff, proposalId, 'approve');
    expect(approved.body).toMatchObject({ status: 'approved' });
    await keep(approved, 200);

    const final = then.get(Math.max(...then.keys()))!;
    expect(final).toMatchObject({ status: 'approved', round: 2, approvals: [expect.objectContaining({ round: 2 })] });
    expect(final.reviews).toHaveLength(2);
    // What partners and staff did, in order (events of other kinds, such as staff's declarations, may come between).
    const DONE = [
      'ProposalDrafted',
      'ProposalEdited',
      'ProposalSubmitted',
      'ProposalReviewed',
      'ProposalChangesRequested',
      'ProposalEdited',
      'ProposalResubmitted',
      'ProposalReviewed',
      'ProposalApprovalRecorded',
      'ProposalApproved',
    ];
    expect(final.history.map((h: Item) => h.type).filter((type: string) => DONE.includes(type))).toEqual(DONE);
    // The states kept are all different: a past that ignored its version could not pass.
    expect(new Set([...then.values()].map((state) => JSON.stringify({ ...state, history: [], updatedAt: '', version: 0 }))).size).toBe(then.size);
    // The approval recorded, not yet decided, was never shown alone by a write: it is the submitted proposal with its approval.
    const recorded: number = final.history.find((h: Item) => h.type === 'ProposalApprovalRecorded').version;
    expect((await past(`/api/proposals/${proposalId}`, staff, `version=${recorded}`)).body).toMatchObject({
      status: 'submitted',
      round: 2,
      version: recorded,
      approvals: [expect.objectContaining({ round: 2 })],
    });

    // Every event of the stream (staff see them all), and the past at each of their times.
    const staffToday = await today(`/api/proposals/${proposalId}`, staff, approved.body.position);
    const stream: { version: number; at: string }[] = staffToday.history;
    expect(stream.map((h) => h.version)).toEqual(stream.map((_, i) => i + 1));
    await expectThePast(`/api/proposals/${proposalId}`, partnerA, then, stream);
    // Staff and admins read the same past, with the declarations of conflicts of interest made by then (which partners never see).
    const [sentBack, sentBackState] = [...then].find(([, state]) => state.status === 'changes_requested')!;
    const staffSentBack = (await past(`/api/proposals/${proposalId}`, staff, `version=${sentBack}`)).body;
    expect(staffSentBack).toEqual({
      ...sentBackState,
      conflictDeclarations: [{ staffId: expect.any(String), conflict: false, reason: null, declaredAt: expect.any(String) }],
      history: expect.arrayContaining([...sentBackState.history, expect.objectContaining({ type: 'ConflictOfInterestDeclared' })]),
    });
    expect(staffSentBack.history).toHaveLength(sentBackState.history.length + 1);
    expect((await past(`/api/proposals/${proposalId}`, admin, `asOf=${stream[0].at}`)).body).toEqual({ ...then.get(1), conflictDeclarations: [] });
    expect(staffToday.conflictDeclarations).toHaveLength(2);
    expect((await past(`/api/proposals/${proposalId}`, staff, `version=${final.version}`)).body).toEqual(staffToday);
    expect((await past(`/api/proposals/${proposalId}`, admin, `asOf=${new Date(Date.now() + 60_000).toISOString()}`)).body).toEqual(staffToday);
    // A time with its offset is the same instant.
    const plus8 = new Date(Date.parse(sentBackState.updatedAt) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    expect((await past(`/api/proposals/${proposalId}`, partnerA, `asOf=${encodeURIComponent(plus8)}`)).body).toEqual(sentBackState);

    // Another institution's proposal is the same 404 as one that does not exist.
    const notFound = (body: Item) => ({ type: body.type, title: body.title, status: body.status, detail: body.detail, errors: body.errors });
    const othersPast = await stack.http.get(`/api/proposals/${proposalId}?version=3`).set(partnerB).expect(404);
    const missingPast = await stack.http.get(`/api/proposals/${MISSING}?version=3`).set(partnerB).expect(404);
    const othersToday = await stack.http.get(`/api/proposals/${proposalId}`).set(partnerB).expect(404);
    expect(notFound(othersPast.body)).toEqual(notFound(missingPast.body));
    expect(notFound(othersPast.body)).toEqual(notFound(othersToday.body));
    expect(othersPast.headers['x-as-of-version']).toBeUndefined();

    expectDocumented(document, 'GET /api/proposals/{id}', await stack.http.get(`/api/proposals/${proposalId}?version=4`).set(partnerA));
    expectDocumented(document, 'GET /api/proposals/{id}', othersPast);
  });

  it('reads a partnership suspended and resumed as it was at each version', async () => {
    const partnership: Item = await waitFor(
      async () => (await stack.http.get('/api/partnerships').set(admin).expect(200)).body.items.find((p: Item) => p.proposalId === proposalId),
      { timeoutMs: 30_000, what: 'the partnership of the approved proposal' },
    );
    const path = `/api/partnerships/${partnership.id}`;
    const then = new Map<number, Item>([[1, await today(path, partnerA, 0)]]);
    const suspended = await stack.http.post(`${path}/suspend`).set(staff).send({ reason: 'Audit of the accounts' }).expect(200);
    then.set(2, await today(path, partnerA, suspended.body.position));
    const resumed = await stack.http.post(`${path}/resume`).set(staff).send({}).expect(200);
    then.set(3, await today(path, partnerA, resumed.body.position));
    expect([...then.values()].map((p) => [p.status, p.version])).toEqual([['active', 1], ['suspended', 2], ['active', 3]]);

    for (const [version, state] of then) expect(await past(path, partnerA, `version=${version}`)).toEqual({ status: 200, body: state, asOfVersion: String(version) });
    for (const [version, state] of then) expect((await past(path, staff, `version=${version}`)).body).toEqual(state);
    const audit: Item[] = (await stack.http.get(`/api/audit/partnership/${partnership.id}`).set(admin).expect(200)).body;
    await expectThePast(path, partnerA, then, audit.map((event) => ({ version: event.version, at: event.recordedAt })));
    expect((await past(path, partnerA, `asOf=${new Date(Date.parse(partnership.establishedAt) - 60_000).toISOString()}`)).status).toBe(404);

    const othersPast = await stack.http.get(`${path}?version=1`).set(partnerB).expect(404);
    const missingPast = await stack.http.get(`/api/partnerships/${MISSING}?version=1`).set(partnerB).expect(404);
    expect(othersPast.body.detail).toBe(missingPast.body.detail);
    expectDocumented(document, 'GET /api/partnerships/{id}', await stack.http.get(`${path}?version=2`).set(partnerA));
  });

  it('reads a workshop\'s status and sessions at each version, staff only, and an erased participant as "[erased]" in its past', async () => {
    const then = new Map<number, Item>();
    const keep = async (write: Response, status: number) => {
      expect({ status: write.status, body: write.status === status ? undefined : write.body }).toEqual({ status, body: undefined });
      then.set(write.body.version, await today(`/api/workshops/${workshopId}`, admin, write.body.position));
    };
    const created = await stack.http
      .post('/api/workshops')
      .set(admin)
      .send({ title: 'Data governance', hostInstitution: 'Institute', city: 'Jakarta', country: 'ID', startsOn: '2030-05-10', endsOn: '2030-05-12', themes: ['governance'] });
    const workshopId: string = created.body.id;
    const path = `/api/workshops/${workshopId}`;
    await keep(created, 201);
    await keep(await stack.http.post(`${path}/sessions`).set(admin).send({ kind: 'roundtable', title: 'Roundtable', startsAt: '2030-05-11T09:00:00+07:00', endsAt: '2030-05-11T12:00:00+07:00' }), 201);
    await keep(await stack.http.post(`${path}/sessions`).set(admin).send({ kind: 'study', title: 'Foundations', startsAt: '2030-05-10T09:00:00+07:00', endsAt: '2030-05-10T12:00:00+07:00', location: 'Hall A' }), 201);
    await keep(await stack.http.post(`${path}/open-registration`).set(admin), 200);
    const invited = await stack.http.post(`${path}/invitations`).set(admin).send({ participants: [SITI, BUDI] }).expect(202);
    const invitationOf = (email: string): string => invited.body.items.find((item: Item) => item.email === email).id;
    const afterInvitations = await today(path, admin, invited.body.position);
    await keep(await stack.http.post(`${path}/start`).set(admin), 200);
    expect([...then.values()].map((w) => [w.version, w.status, w.sessions.map((s: Item) => s.title)])).toEqual([
      [1, 'planned', []],
      [2, 'planned', ['Roundtable']],
      [3, 'planned', ['Foundations', 'Roundtable']],
      [4, 'registration_open', ['Foundations', 'Roundtable']],
      [6, 'in_progress', ['Foundations', 'Roundtable']],
    ]);

    // Everything but the invitations is as today's detail said; the invitations are those invited by then.
    const noCounts = { issued: null, emailed: null, bounced: null, accepted: null, declined: null };
    for (const [version, state] of then) {
      const { status, body, asOfVersion } = await past(path, staff, `version=${version}`);
      expect({ version, status, asOfVersion }).toEqual({ version, status: 200, asOfVersion: String(version) });
      expect(body).toEqual({ ...state, invitations: { ...noCounts, total: version >= 5 ? 2 : 0 }, invited: version >= 5 ? expect.any(Array) : [] });
    }
    const atFive = await past(path, staff, 'version=5');
    expect(atFive.body).toEqual({ ...afterInvitations, invitations: { ...noCounts, total: 2 }, invited: [{ invitationId: invitationOf(SITI.email), email: SITI.email }, { invitationId: invitationOf(BUDI.email), email: BUDI.email }] });
    expectDocumented(document, 'GET /api/workshops/{id}', await stack.http.get(`${path}?version=5`).set(staff));
    // By time: the moment registration opened, and before the workshop was planned.
    const times: string[] = (await stack.http.get(`/api/audit/workshop/${workshopId}`).set(admin).expect(200)).body.map((event: Item) => event.recordedAt);
    expect(await past(path, staff, `asOf=${times[3]}`)).toMatchObject({ status: 200, body: { status: 'registration_open', version: 4 }, asOfVersion: '4' });
    expect((await past(path, staff, `asOf=${new Date(Date.parse(times[0]) - 1).toISOString()}`)).status).toBe(404);
    // Workshops are for staff: a partner is refused, past or present.
    await stack.http.get(`${path}?version=1`).set(partnerA).expect(403);
    expect((await past(path, staff, 'version=7')).status).toBe(404);
    expect((await past(`/api/workshops/${MISSING}`, staff, 'version=1')).status).toBe(404);

    // Erased, Siti reads "[erased]" in the workshop's past too; Budi and everything else as before.
    const subject = await stack.api.get(PersonalDataVault).findSubject(SITI.email);
    expect(subject).toMatchObject({ erased: false });
    await stack.api.get(SubjectErasure).erase(subject!.subjectId, { reason: 'The person asked to be forgotten', basis: 'request', actor: null, now: Date.now() });
    const invitedErased = [
      { invitationId: invitationOf(SITI.email), email: ERASED, personalDataErased: true },
      { invitationId: invitationOf(BUDI.email), email: BUDI.email },
    ];
    expect((await past(path, staff, 'version=5')).body).toEqual({ ...atFive.body, invited: invitedErased });
    expect((await past(path, staff, 'version=6')).body).toEqual({ ...then.get(6), invitations: { ...noCounts, total: 2 }, invited: invitedErased });
    expect(JSON.stringify((await past(path, staff, `asOf=${new Date(Date.now() + 60_000).toISOString()}`)).body)).not.toContain(SITI.email);
    expectDocumented(document, 'GET /api/workshops/{id}', await stack.http.get(`${path}?version=5`).set(staff));
  });

  it('answers bad questions of the past with a 400 naming the fields', async () => {
    const paths = [`/api/proposals/${proposalId}`, `/api/proposals/${MISSING}`, `/api/workshops/${MISSING}`, `/api/partnerships/${MISSING}`];
    const cases: [string, string[]][] = [
      ['asOf=2030-01-01T00:00:00Z&version=2', ['asOf', 'version']],
      ['asOf=yesterday', ['asOf']],
      ['asOf=2030-01-01', ['asOf']],
      ['asOf=2030-02-30T10:00:00Z', ['asOf']],
      ['asOf=2030-01-01T10:00:00', ['asOf']],
      ['asOf=', ['asOf']],
      ['asOf=2030-01-01T00:00:00Z&asOf=2030-01-02T00:00:00Z', ['asOf']],
      ['version=-1', ['version']],
      ['version=1.5', ['version']],
      ['version=abc', ['version']],
      ['version=', ['version']],
      ['version=99999999999999999999', ['version']],
      ['version=1&version=2', ['version']],
      ['when=yesterday', ['when']],
    ];
    for (const path of paths) {
      for (const [query, fields] of cases) {
        const answer = await stack.http.get(`${path}?${query}`).set(admin);
        const named = [...new Set((answer.body.errors ?? []).map((e: Item) => e.field))].sort();
        expect({ path, query, status: answer.status, named }).toEqual({ path, query, status: 400, named: [...fields].sort() });
        expect(answer.headers['x-as-of-version']).toBeUndefined();
      }
    }
    expectDocumented(document, 'GET /api/proposals/{id}', await stack.http.get(`/api/proposals/${proposalId}?version=abc`).set(admin));
  });
});
