import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type request from 'supertest';
import { waitFor, freePort } from '@passerelle/testing';
import { type AppProcess, runApp } from './support/processes';
import { openedEvents } from './support/opened-events';
import { type Stack, startStack } from './support/stack';

/**
 * What partners may not see or do, and what must hold when people act at once: isolation between
 * institutions, roles, activation links, secrets in answers and logs, concurrent approvals, If-Match and
 * read-your-writes. The real API and worker (startStack), PostgreSQL, Redis and an SMTP server.
 */

type Headers = Record<string, string>;
type Answer = request.Response;

const STAFF_PASSWORD = 'staff-password-Vq7#pL2x';
const A_PASSWORD = 'partner-a-password-Zr8!mK4w';
const B_PASSWORD = 'partner-b-password-Hy3$tN9c';
const MAIL_WAIT = { timeoutMs: 20_000 };
const PROPOSAL = { title: 'AI-assisted crop monitoring', summary: 'Satellite imagery for smallholders', sectors: ['agriculture'], countries: ['ZM'], durationMonths: 12 };

/** The token in an activation e-mail's link. */
function activationTokenIn(text: string | undefined): string {
  const match = /\/activate\/([A-Za-z0-9_-]{43})/.exec(text ?? '');
  if (!match) throw new Error(`No activation link in: ${text}`);
  return match[1];
}

/** Fails with the answer's body in the message, so a wrong status says why. */
function expectStatus(answer: Answer, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.text}`);
}

/** An RFC 9457 problem with this status. */
function expectProblem(answer: Answer, status: number, what: string): void {
  expectStatus(answer, status, what);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
}

describe('proposals and partnerships: isolation, roles, activation, secrets and concurrency', () => {
  let stack: Stack;
  let db: Client;
  let admin: Headers;
  const staff: { headers: Headers; id: string }[] = [];
  const institution = { a: '', b: '' };
  const partner = { a: {} as Headers, b: {} as Headers };
  let tokenA1 = '';
  let spawned: AppProcess | null = null;
  /** A's proposal approved into a partnership, and B's. */
  let approvedA: { id: string; position: number };
  let partnershipA: { id: string; proposalId: string; institutionId: string };
  let approvedB: { id: string; position: number };
  let partnershipB: { id: string; proposalId: string; institutionId: string };

  const bearer = (token: string): Headers => ({ Authorization: `Bearer ${token}` });

  async function login(email: string, password: string): Promise<Answer> {
    return stack.http.post('/api/auth/login').send({ email, password });
  }

  /** The token of the `nth` (1-based) e-mail sent to `email`, once it has come. */
  async function activationMail(email: string, nth = 1): Promise<string> {
    await waitFor(() => stack.smtp.to(email).length >= nth, { ...MAIL_WAIT, what: `activation e-mail ${nth} to ${email}` });
    return activationTokenIn(stack.smtp.to(email)[nth - 1].parsed.text);
  }

  async function registerInstitution(name: string, country: string, email: string): Promise<{ id: string; token: string }> {
    const registered = await stack.http
      .post('/api/partner-institutions')
      .set(admin)
      .send({ name, country, contact: { fullName: `Contact of ${name}`, email, language: 'en' } });
    expectStatus(registered, 201, `registering ${name}`);
    return { id: registered.body.id, token: await activationMail(email) };
  }

  async function addContact(institutionId: string, email: string, fullName: string): Promise<string> {
    const added = await stack.http.post(`/api/partner-institutions/${institutionId}/contacts`).set(staff[0].headers).send({ fullName, email, language: 'en' });
    expectStatus(added, 201, `adding contact ${email}`);
    return activationMail(email);
  }

  async function activateAndLogin(token: string, email: string, password: string): Promise<Headers> {
    expectStatus(await stack.http.post('/api/auth/activate').send({ token, password }), 200, `activating ${email}`);
    const answer = await login(email, password);
    expectStatus(answer, 200, `logging in as ${email}`);
    return bearer(answer.body.accessToken);
  }

  /** 503 answers to reads with X-Min-Position, asked again by readAt. */
  let unavailable = 0;

  /**
   * A read with X-Min-Position. The contract allows a 503 (with Retry-After) when the read model is still
   * behind after 5 s, as when a long transaction anywhere on the PostgreSQL server holds back the event
   * store's safe bound (pg_snapshot_xmin is server-wide); a client then asks again. Any other answer is
   * returned as it is.
   */
  async function readAt(path: string, as: Headers, position: number | string): Promise<Answer> {
    return waitFor(
      async () => {
        const answer = await stack.http.get(path).set(as).set('X-Min-Position', String(position));
        if (answer.status !== 503) return answer;
        unavailable += 1;
        return null;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: `GET ${path} at position ${position}` },
    );
  }

  async function createProposal(as: Headers, title = PROPOSAL.title): Promise<{ id: string; version: number; position: number }> {
    const created = await stack.http.post('/api/proposals').set(as).send({ ...PROPOSAL, title });
    expectStatus(created, 201, 'creating a proposal');
    return created.body;
  }

  async function submittedProposal(as: Headers, title?: string): Promise<{ id: string; position: number }> {
    const { id } = await createProposal(as, title);
    const submitted = await stack.http.post(`/api/proposals/${id}/submit`).set(as);
    expectStatus(submitted, 200, 'submitting a proposal');
    return { id, position: submitted.body.position };
  }

  /** The staff member of `headers` declares no conflict of interest with the proposal, as approving it requires. */
  async function declareNoConflict(proposalId: string, headers: Headers): Promise<Answer> {
    return stack.http.post(`/api/proposals/${proposalId}/conflict-declarations`).set(headers).send({ conflict: false });
  }

  /** Approves with both staff members (each declared free of conflict first), then waits for the partnership the policy establishes. */
  async function partnershipFor(proposalId: string, as: Headers): Promise<{ id: string; proposalId: string; institutionId: string }> {
    for (const s of staff) expectStatus(await declareNoConflict(proposalId, s.headers), 201, 'declaring no conflict of interest');
    expectStatus(await stack.http.post(`/api/proposals/${proposalId}/approve`).set(staff[0].headers), 200, 'first approval');
    const second = await stack.http.post(`/api/proposals/${proposalId}/approve`).set(staff[1].headers);
    expectStatus(second, 200, 'second approval');
    expect(second.body.status).toBe('approved');
    return waitFor(
      async () => {
        const list = await stack.http.get('/api/partnerships?limit=500').set(as);
        return list.body.items?.find((p: { proposalId: string }) => p.proposalId === proposalId);
      },
      { timeoutMs: 20_000, what: `the partnership of ${proposalId}` },
    );
  }

  /** One query at a time on the one pg Client. */
  async function currentVersions(proposalIds: string[]): Promise<number[]> {
    const versions: number[] = [];
    for (const id of proposalIds) versions.push(await currentVersion(id));
    return versions;
  }

  async function currentVersion(proposalId: string): Promise<number> {
    const rows = await db.query('SELECT coalesce(max(version), 0)::int AS version FROM events WHERE stream_id = $1', [`proposal-${proposalId}`]);
    return rows.rows[0].version;
  }

  beforeAll(async () => {
    stack = await startStack('proposals_security');
    admin = bearer(stack.token);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    for (const email of ['reviewer.one@institute.test', 'reviewer.two@institute.test']) {
      expectStatus(
        await stack.http.post('/api/staff').set(admin).send({ email, fullName: email.split('@')[0], password: STAFF_PASSWORD }),
        201,
        `creating staff ${email}`,
      );
      const answer = await login(email, STAFF_PASSWORD);
      expectStatus(answer, 200, `logging in as ${email}`);
      staff.push({ headers: bearer(answer.body.accessToken), id: answer.body.user.id });
    }
    const [a, b] = await Promise.all([
      registerInstitution('University of Zambia', 'ZM', 'contact@unza.test'),
      registerInstitution('Universitas Indonesia', 'ID', 'contact@ui.test'),
    ]);
    institution.a = a.id;
    institution.b = b.id;
    tokenA1 = a.token;
    partner.a = await activateAndLogin(a.token, 'contact@unza.test', A_PASSWORD);
    partner.b = await activateAndLogin(b.token, 'contact@ui.test', B_PASSWORD);
    approvedA = await submittedProposal(partner.a, 'A: approved');
    partnershipA = await partnershipFor(approvedA.id, partner.a);
    approvedB = await submittedProposal(partner.b, 'B: approved');
    partnershipB = await partnershipFor(approvedB.id, partner.b);
  });

  afterAll(async () => {
    if (spawned && spawned.child.exitCode === null && spawned.child.signalCode === null) {
      spawned.child.kill('SIGTERM');
      await spawned.exited;
    }
    await db?.end().catch(() => undefined);
    await stack?.close();
  });

  it("answers 404, exactly as for a random id, to every read and write of another institution's proposals and partnership, and never lists them", async () => {
    const approved = approvedA;
    expect(partnershipA).toMatchObject({ institutionId: institution.a, proposalId: approved.id, status: 'active' });
    expect(partnershipB).toMatchObject({ institutionId: institution.b, proposalId: approvedB.id, status: 'active' });
    const draftA = await createProposal(partner.a, 'A: draft');
    const submittedA = await submittedProposal(partner.a, 'A: submitted');
    const versionsBefore = await currentVersions([approved.id, draftA.id, submittedA.id]);

    // Every operation B might try on one of A's resources, and the same on an id that exists nowhere.
    const attempts = (proposalId: string, version: number): [string, () => request.Test][] => [
      ['GET proposal', () => stack.http.get(`/api/proposals/${proposalId}`)],
      ['PATCH', () => stack.http.patch(`/api/proposals/${proposalId}`).send({ title: 'Taken over' })],
      ['PATCH, If-Match current', () => stack.http.patch(`/api/proposals/${proposalId}`).set('If-Match', `"${version}"`).send({ title: 'Taken over' })],
      ['PATCH, If-Match stale', () => stack.http.patch(`/api/proposals/${proposalId}`).set('If-Match', '"0"').send({ title: 'Taken over' })],
      ['PATCH, If-Match ahead', () => stack.http.patch(`/api/proposals/${proposalId}`).set('If-Match', '"97"').send({ title: 'Taken over' })],
      ['submit', () => stack.http.post(`/api/proposals/${proposalId}/submit`)],
      ['submit, If-Match stale', () => stack.http.post(`/api/proposals/${proposalId}/submit`).set('If-Match', '"0"')],
      ['withdraw', () => stack.http.post(`/api/proposals/${proposalId}/withdraw`).send({ reason: 'not mine' })],
      ['withdraw, If-Match ahead', () => stack.http.post(`/api/proposals/${proposalId}/withdraw`).set('If-Match', '"97"').send({})],
    ];
    const nowhere = randomUUID();
    const cases: [string, string, number][] = [
      ['approved', approved.id, versionsBefore[0]],
      ['draft', draftA.id, versionsBefore[1]],
      ['submitted', submittedA.id, versionsBefore[2]],
    ];
    for (const [state, proposalId, version] of cases) {
      const random = attempts(nowhere, version);
      for (const [index, [operation, send]] of attempts(proposalId, version).entries()) {
        const theirs = await send().set(partner.b);
        const unknown = await random[index][1]().set(partner.b);
        expectProblem(theirs, 404, `B: ${operation} on A's ${state} proposal`);
        expectProblem(unknown, 404, `B: ${operation} on a random id`);
        expect({ operation, state, body: theirs.body }).toEqual({ operation, state, body: unknown.body });
      }
    }
    const theirPartnership = await stack.http.get(`/api/partnerships/${partnershipA.id}`).set(partner.b);
    const noPartnership = await stack.http.get(`/api/partnerships/${randomUUID()}`).set(partner.b);
    expectProblem(theirPartnership, 404, "B: GET A's partnership");
    expectProblem(noPartnership, 404, 'B: GET a random partnership');
    expect(theirPartnership.body).toEqual(noPartnership.body);
    // The same with X-Min-Position, once the read model surely holds A's partnership.
    const waited = await readAt(`/api/partnerships/${partnershipA.id}`, partner.b, approved.position);
    expect(waited.body).toEqual(noPartnership.body);

    // Nothing B tried changed A's proposals; A and staff still see them.
    expect(await currentVersions([approved.id, draftA.id, submittedA.id])).toEqual(versionsBefore);
    for (const id of [approved.id, draftA.id, submittedA.id]) {
      expectStatus(await stack.http.get(`/api/proposals/${id}`).set(partner.a), 200, `A reads its own ${id}`);
    }
    expectStatus(await stack.http.get(`/api/partnerships/${partnershipA.id}`).set(partner.a), 200, "A reads its partnership");
    expectStatus(await stack.http.get(`/api/partnerships/${partnershipB.id}`).set(partner.b), 200, "B reads its partnership");
    expectProblem(await stack.http.get(`/api/partnerships/${partnershipB.id}`).set(partner.a), 404, "A: GET B's partnership");

    // Lists: B sees only its own institution's, whatever the filter; A's are there for staff.
    const aIds = [approved.id, draftA.id, submittedA.id];
    const staffList = await readAt('/api/proposals?limit=500', staff[0].headers, submittedA.position);
    expect(staffList.body.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([...aIds, approvedB.id]));
    for (const status of ['', '&status=draft', '&status=submitted', '&status=approved']) {
      const list = await readAt(`/api/proposals?limit=500${status}`, partner.b, submittedA.position);
      expectStatus(list, 200, `B lists proposals${status}`);
      for (const item of list.body.items) expect(item.institutionId).toBe(institution.b);
      const ids = list.body.items.map((p: { id: string }) => p.id);
      for (const id of aIds) expect(ids).not.toContain(id);
    }
    const listedB = await stack.http.get('/api/proposals').set(partner.b);
    expect(listedB.body.items.map((p: { id: string }) => p.id)).toEqual([approvedB.id]);
    const partnershipsB = await stack.http.get('/api/partnerships?limit=500').set(partner.b);
    expect(partnershipsB.body.items.map((p: { id: string }) => p.id)).toEqual([partnershipB.id]);
    const partnershipsA = await stack.http.get('/api/partnerships?limit=500').set(partner.a);
    expect(partnershipsA.body.items.map((p: { id: string }) => p.id)).toEqual([partnershipA.id]);
  });

  it('refuses partners every staff endpoint, and staff every partner-only write, with 403', async () => {
    const own = await submittedProposal(partner.a, 'A: for role checks');
    const partnership = partnershipA;
    const versionBefore = await currentVersion(own.id);
    const usersBefore = (await db.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
    const institutionEventsBefore = (await db.query("SELECT count(*)::int AS n FROM events WHERE category = 'institution'")).rows[0].n;
    const workshop = { title: 'AI for health', hostInstitution: 'Institute', city: 'Lusaka', country: 'ZM', startsOn: '2031-03-02', endsOn: '2031-03-04', themes: ['healthcare'] };

    const staffOnly: [string, () => request.Test][] = [
      ['POST /api/partner-institutions', () => stack.http.post('/api/partner-institutions').send({ name: 'Fake', country: 'ZM', contact: { fullName: 'X', email: 'x@fake.test', language: 'en' } })],
      ['GET /api/partner-institutions', () => stack.http.get('/api/partner-institutions')],
      ['GET /api/partner-institutions/:own', () => stack.http.get(`/api/partner-institutions/${institution.a}`)],
      ['POST /api/partner-institutions/:own/contacts', () => stack.http.post(`/api/partner-institutions/${institution.a}/contacts`).send({ fullName: 'Y', email: 'y@unza.test', language: 'en' })],
      ['POST /api/proposals/:id/reviews', () => stack.http.post(`/api/proposals/${own.id}/reviews`).send({ score: 5, recommendation: 'approve', comment: 'Mine is great' })],
      ['POST /api/proposals/:id/request-changes', () => stack.http.post(`/api/proposals/${own.id}/request-changes`).send({ comment: 'no' })],
      ['POST /api/proposals/:id/approve', () => stack.http.post(`/api/proposals/${own.id}/approve`)],
      ['POST /api/proposals/:id/conflict-declarations', () => stack.http.post(`/api/proposals/${own.id}/conflict-declarations`).send({ conflict: false })],
      ['POST /api/proposals/:id/reject', () => stack.http.post(`/api/proposals/${own.id}/reject`).send({ reason: 'no' })],
      ['POST /api/partnerships/:id/suspend', () => stack.http.post(`/api/partnerships/${partnership.id}/suspend`).send({ reason: 'no' })],
      ['POST /api/partnerships/:id/resume', () => stack.http.post(`/api/partnerships/${partnership.id}/resume`).send({})],
      ['POST /api/partnerships/:id/conclude', () => stack.http.post(`/api/partnerships/${partnership.id}/conclude`).send({})],
      ['POST /api/staff', () => stack.http.post('/api/staff').send({ email: 'sneaky@unza.test', fullName: 'Sneaky', password: 'sneaky-password-123' })],
      ['GET /api/audit/proposal/:id', () => stack.http.get(`/api/audit/proposal/${own.id}`)],
      ['GET /api/workshops', () => stack.http.get('/api/workshops')],
      ['POST /api/workshops', () => stack.http.post('/api/workshops').send(workshop)],
      ['GET /admin/queues', () => stack.http.get('/admin/queues')],
      ['GET /admin/queues/api/queues', () => stack.http.get('/admin/queues/api/queues')],
    ];
    for (const [who, headers] of [
      ['partner A', partner.a],
      ['partner B', partner.b],
    ] as const) {
      for (const [endpoint, send] of staffOnly) expectProblem(await send().set(headers), 403, `${who}: ${endpoint}`);
    }
    const partnerToken = partner.a.Authorization.replace('Bearer ', '');
    const board = await stack.http.get(`/admin/queues?access_token=${partnerToken}`);
    expectProblem(board, 403, 'partner: /admin/queues?access_token=');
    expect(board.headers['set-cookie']).toBeUndefined();

    // Nothing happened: the proposal, the partnership, the users and the institutions are as they were.
    expect(await currentVersion(own.id)).toBe(versionBefore);
    expect((await stack.http.get(`/api/partnerships/${partnership.id}`).set(partner.a)).body.status).toBe('active');
    expect((await db.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(usersBefore);
    expect((await db.query("SELECT count(*)::int AS n FROM events WHERE category = 'institution'")).rows[0].n).toBe(institutionEventsBefore);
    expectStatus(await stack.http.get('/admin/queues').set(staff[0].headers), 200, 'staff: /admin/queues');

    const draft = await createProposal(partner.a, 'A: draft for role checks');
    const partnerOnly: [string, () => request.Test][] = [
      ['POST /api/proposals', () => stack.http.post('/api/proposals').send({ ...PROPOSAL, title: 'Made by staff' })],
      ['PATCH /api/proposals/:id', () => stack.http.patch(`/api/proposals/${draft.id}`).send({ title: 'Edited by staff' })],
      ['POST /api/proposals/:id/submit', () => stack.http.post(`/api/proposals/${draft.id}/submit`)],
      ['POST /api/proposals/:id/withdraw', () => stack.http.post(`/api/proposals/${draft.id}/withdraw`).send({ reason: 'staff' })],
    ];
    for (const [who, headers] of [
      ['staff', staff[0].headers],
      ['admin', admin],
    ] as const) {
      for (const [endpoint, send] of partnerOnly) expectProblem(await send().set(headers), 403, `${who}: ${endpoint}`);
    }
    expect(await currentVersion(draft.id)).toBe(1);
    expect((await db.query("SELECT count(*)::int AS n FROM events WHERE type = 'ProposalDrafted' AND data->>'title' = $1", ['Made by staff'])).rows[0].n).toBe(0);
  });

  it('activation tokens work once and only until they expire; unknown ones are 404; a second contact sees the same proposals', async () => {
    const aProposal = await createProposal(partner.a, 'A: seen by the second contact');

    // Used: refused, and the password it set is still the one.
    const reused = await stack.http.post('/api/auth/activate').send({ token: tokenA1, password: 'a-new-password-that-must-fail' });
    expectProblem(reused, 410, 'activating with a used token');
    expect(reused.body.detail).toMatch(/already used/);
    const reusedForm = await stack.http.post(`/activate/${tokenA1}`).type('form').send({ password: 'a-new-password-that-must-fail' });
    expectStatus(reusedForm, 410, 'the activation form with a used token');
    expectStatus(await login('contact@unza.test', A_PASSWORD), 200, 'login with the password the token set');
    expectProblem(await login('contact@unza.test', 'a-new-password-that-must-fail'), 401, 'login with the refused password');
    expectStatus(await stack.http.get(`/activate/${tokenA1}`), 404, 'the page of a used token');

    // Expired: the row's expiry moved into the past, since 72 hours cannot be waited for.
    const expiring = await addContact(institution.a, 'late@unza.test', 'Late Contact');
    expectStatus(await stack.http.get(`/activate/${expiring}`), 200, 'the page of a fresh token');
    const moved = await db.query(
      "UPDATE activation_tokens SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = $1) AND used_at IS NULL",
      ['late@unza.test'],
    );
    expect(moved.rowCount).toBe(1);
    expectStatus(await stack.http.get(`/activate/${expiring}`), 404, 'the page of an expired token');
    const expired = await stack.http.post('/api/auth/activate').send({ token: expiring, password: 'late-password-123456' });
    expectProblem(expired, 410, 'activating with an expired token');
    expect(expired.body.detail).toMatch(/expired/);
    expectProblem(await login('late@unza.test', 'late-password-123456'), 401, 'login after an expired activation');

    // Unknown (well-formed) and malformed tokens.
    const unknown = randomBytes(32).toString('base64url');
    expect(unknown).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const unknownAnswer = await stack.http.post('/api/auth/activate').send({ token: unknown, password: 'whatever-password-123' });
    expectProblem(unknownAnswer, 404, 'activating with an unknown token');
    expectStatus(await stack.http.get(`/activate/${unknown}`), 404, 'the page of an unknown token');
    expectStatus(await stack.http.get('/activate/not-a-token'), 404, 'the page of a malformed token');
    expectProblem(await stack.http.post('/api/auth/activate').send({ token: 'short', password: 'whatever-password-123' }), 400, 'a malformed token');

    // A second contact: own e-mail, own token, same institution's proposals.
    const second = await addContact(institution.a, 'second@unza.test', 'Second Contact');
    expect(second).not.toBe(tokenA1);
    expect(stack.smtp.to('second@unza.test')).toHaveLength(1);
    const page = await stack.http.get(`/activate/${second}`);
    expectStatus(page, 200, "the second contact's activation page");
    expect(page.text).toContain('Second Contact');
    expectStatus(await stack.http.post('/api/auth/activate').send({ token: second, password: 'second-password-123456' }), 200, 'activating the second contact');
    const secondLogin = await login('second@unza.test', 'second-password-123456');
    expectStatus(secondLogin, 200, 'login as the second contact');
    expect(secondLogin.body.user).toMatchObject({ role: 'partner', institutionId: institution.a });
    const secondContact = bearer(secondLogin.body.accessToken);
    const fromFirst = await readAt('/api/proposals?limit=500', partner.a, aProposal.position);
    const fromSecond = await readAt('/api/proposals?limit=500', secondContact, aProposal.position);
    expect(fromSecond.body.items.map((p: { id: string }) => p.id)).toEqual(fromFirst.body.items.map((p: { id: string }) => p.id));
    expect(fromSecond.body.items.map((p: { id: string }) => p.id)).toContain(aProposal.id);
    expectStatus(await stack.http.get(`/api/proposals/${aProposal.id}`).set(secondContact), 200, "the second contact reads the institution's proposal");
    const edited = await stack.http.patch(`/api/proposals/${aProposal.id}`).set(secondContact).send({ durationMonths: 18 });
    expectStatus(edited, 200, "the second contact edits the institution's draft");
    const bProposals = (await stack.http.get('/api/proposals').set(partner.b)).body.items;
    expectProblem(await stack.http.get(`/api/proposals/${bProposals[0].id}`).set(secondContact), 404, "the second contact reads B's proposal");
  });

  it('never returns a password or its hash, and never logs a password (API run as a process at LOG_LEVEL=info)', async () => {
    const secrets = [STAFF_PASSWORD, A_PASSWORD, B_PASSWORD];
    const clean = (answer: Answer, what: string) => {
      for (const secret of secrets) expect({ what, leaks: answer.text.includes(secret) }).toEqual({ what, leaks: false });
      expect({ what, hash: answer.text.includes('$argon2') }).toEqual({ what, hash: false });
      expect({ what, field: /password/i.test(answer.text) }).toEqual({ what, field: false });
    };

    const staffPassword = 'new-staff-password-Jw5&eR1u';
    secrets.push(staffPassword);
    const created = await stack.http.post('/api/staff').set(admin).send({ email: 'third.reviewer@institute.test', fullName: 'Third Reviewer', password: staffPassword });
    expectStatus(created, 201, 'creating staff');
    clean(created, 'POST /api/staff');
    const logins = await Promise.all([
      login('admin@passerelle.test', 'admin-password-for-tests'),
      login('third.reviewer@institute.test', staffPassword),
      login('contact@ui.test', B_PASSWORD),
    ]);
    secrets.push('admin-password-for-tests');
    for (const answer of logins) {
      expectStatus(answer, 200, 'login');
      clean(answer, `POST /api/auth/login (${answer.body.user.role})`);
      const me = await stack.http.get('/api/me').set(bearer(answer.body.accessToken));
      expectStatus(me, 200, 'GET /api/me');
      clean(me, `GET /api/me (${answer.body.user.role})`);
    }
    const contactPassword = 'fresh-contact-password-Qm2^dS8v';
    secrets.push(contactPassword);
    const token = await addContact(institution.b, 'fresh@ui.test', 'Fresh Contact');
    const activated = await stack.http.post('/api/auth/activate').send({ token, password: contactPassword });
    expectStatus(activated, 200, 'activating');
    clean(activated, 'POST /api/auth/activate');
    clean(await stack.http.get(`/api/partner-institutions/${institution.b}`).set(staff[0].headers), 'GET /api/partner-institutions/:id');
    clean(await stack.http.post('/api/auth/activate').send({ token, password: 'refused-password-Xc4@bN7k' }), 'POST /api/auth/activate (used)');

    // The API as its own process, logging at info, on the same database and Redis.
    const port = await freePort();
    const api = runApp('api', {
      DATABASE_URL: stack.db.url,
      PORT: String(port),
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: new URL(stack.db.url).pathname.slice(1),
      SMTP_URL: stack.env.SMTP_URL,
      APP_BASE_URL: `http://127.0.0.1:${port}`,
    });
    spawned = api;
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health`).catch(() => null))?.status === 200, {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: `the API process to answer /health (output: ${api.output().slice(-2000)})`,
    });
    const post = (path: string, body: unknown, headers: Headers = {}) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const logged = {
      json: 'logged-json-password-Tb6%kW3z',
      form: 'logged-form-password-Ns9*fH2q',
      wrong: 'logged-wrong-password-Ud4=gJ7p',
      reused: 'logged-reused-password-Le1+cV5r',
      staff: 'logged-staff-password-Pi8~aM6y',
    };
    const jsonToken = await addContact(institution.b, 'logged.json@ui.test', 'Logged Json');
    const formToken = await addContact(institution.b, 'logged.form@ui.test', 'Logged Form');
    expect((await post('/api/auth/activate', { token: jsonToken, password: logged.json })).status).toBe(200);
    const form = await fetch(`${base}/activate/${formToken}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: logged.form }).toString(),
    });
    expect(form.status).toBe(200);
    expect((await post('/api/auth/activate', { token: jsonToken, password: logged.reused })).status).toBe(410);
    const good = await post('/api/auth/login', { email: 'logged.json@ui.test', password: logged.json }, { 'X-Correlation-Id': 'logged-login-1' });
    expect(good.status).toBe(200);
    expect(await good.text()).not.toContain(logged.json);
    expect((await post('/api/auth/login', { email: 'logged.form@ui.test', password: logged.form })).status).toBe(200);
    expect((await post('/api/auth/login', { email: 'logged.json@ui.test', password: logged.wrong })).status).toBe(401);
    expect((await post('/api/staff', { email: 'logged.staff@institute.test', fullName: 'Logged Staff', password: logged.staff }, admin)).status).toBe(201);

    // pino writes asynchronously: wait until every request above is in the output, then look for secrets.
    const requestLines = () => api.output().split('\n').filter((line) => line.includes('"msg":"request completed"') || line.includes('"msg":"request errored"'));
    await waitFor(() => requestLines().length >= 7, { timeoutMs: 10_000, what: `7 request log lines (output: ${api.output().slice(-2000)})` });
    const output = api.output();
    expect(output).toContain('"url":"/api/auth/login"');
    expect(output).toContain('"url":"/api/auth/activate"');
    expect(output).toContain('"url":"/api/staff"');
    // Each line names its request by the correlation id the client sent (or was given), with what was answered.
    const loginLine = requestLines().map((line) => JSON.parse(line)).find((line) => line.req.id === 'logged-login-1');
    expect(loginLine).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'POST', url: '/api/auth/login' }, res: { statusCode: 200 }, responseTime: expect.any(Number) });
    expect(output).toContain('"url":"/activate/[redacted]"');
    for (const secret of [...Object.values(logged), ...secrets]) expect({ secret, logged: output.includes(secret) }).toEqual({ secret, logged: false });
    expect(output).not.toContain('$argon2');

    api.child.kill('SIGTERM');
    await api.exited;
    spawned = null;
  });

  it('lets two staff declare and approve the same proposal at the same instant: one approval each, one ProposalApproved, one partnership (10 times)', async () => {
    for (let round = 1; round <= 10; round += 1) {
      const { id } = await submittedProposal(partner.a, `A: concurrent approvals ${round}`);
      const answers = await Promise.all(
        staff.map(async (s) => {
          expectStatus(await declareNoConflict(id, s.headers), 201, `round ${round}: a declaration`);
          return stack.http.post(`/api/proposals/${id}/approve`).set(s.headers);
        }),
      );
      for (const answer of answers) expectStatus(answer, 200, `round ${round}: an approval`);
      expect(answers.map((a) => a.body.status).sort()).toEqual(['approved', 'submitted']);

      const audit = await stack.http.get(`/api/audit/proposal/${id}`).set(admin);
      expectStatus(audit, 200, `round ${round}: the audit`);
      const events = audit.body as { type: string; position: number; data: Record<string, unknown> }[];
      const recorded = events.filter((e) => e.type === 'ProposalApprovalRecorded');
      expect(recorded.map((e) => e.data.approverId).sort()).toEqual(staff.map((s) => s.id).sort());
      expect(recorded.map((e) => e.data.approvals)).toEqual([1, 2]);
      const approvedEvents = events.filter((e) => e.type === 'ProposalApproved');
      expect(approvedEvents).toHaveLength(1);
      const declarations = events.filter((e) => e.type === 'ConflictOfInterestDeclared');
      expect(declarations.map((e) => e.data.staffId).sort()).toEqual(staff.map((s) => s.id).sort());
      const decisions = events.filter((e) => e.type !== 'ConflictOfInterestDeclared').map((e) => e.type);
      expect(decisions).toEqual(['ProposalDrafted', 'ProposalSubmitted', 'ProposalApprovalRecorded', 'ProposalApprovalRecorded', 'ProposalApproved']);

      // Once the policy is past the approval, exactly one PartnershipEstablished names this proposal.
      const approvedAt = approvedEvents[0].position;
      await waitFor(
        async () => Number((await db.query("SELECT position FROM subscription_checkpoints WHERE name = 'partnership-policy'")).rows[0]?.position ?? 0) >= approvedAt,
        { timeoutMs: 20_000, what: `round ${round}: the partnership policy to pass the approval` },
      );
      const established = await db.query("SELECT position FROM events WHERE type = 'PartnershipEstablished' AND data->>'proposalId' = $1", [id]);
      expect(established.rows).toHaveLength(1);
      const partnerships = await readAt('/api/partnerships?limit=500', staff[0].headers, established.rows[0].position);
      expectStatus(partnerships, 200, `round ${round}: the partnerships`);
      expect(partnerships.body.items.filter((p: { proposalId: string }) => p.proposalId === id)).toHaveLength(1);
      const detail = await readAt(`/api/proposals/${id}`, partner.a, approvedAt);
      expect(detail.body).toMatchObject({ status: 'approved', approvals: [expect.anything(), expect.anything()] });
    }
  });

  it('gives one e-mail one account: registrations and contacts naming it at the same instant get one 201, the rest 409, and no event (10 times)', async () => {
    // Through the store: the contact's address is sealed in the events table.
    const contactEvents = async (email: string) => ({
      rows: (await openedEvents(stack, ['InstitutionRegistered', 'InstitutionContactAdded'])).filter((e) => e.data.contact.email.toLowerCase() === email.toLowerCase()),
    });
    for (let round = 1; round <= 10; round += 1) {
      const email = `contact.${round}@race.test`;
      const answers = await Promise.all([
        stack.http.post('/api/partner-institutions').set(admin).send({ name: `Race ${round} one`, country: 'EG', contact: { fullName: 'One', email, language: 'en' } }),
        stack.http.post('/api/partner-institutions').set(staff[0].headers).send({ name: `Race ${round} two`, country: 'EG', contact: { fullName: 'Two', email: email.toUpperCase(), language: 'fr' } }),
        stack.http.post(`/api/partner-institutions/${institution.b}/contacts`).set(staff[1].headers).send({ fullName: 'Three', email, language: 'en' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(refused.body).toMatchObject({ status: 409, code: 'email_taken' });
        // The refusal does not repeat the address (nor put it in a log line through the error).
        expect(JSON.stringify(refused.body).toLowerCase()).not.toContain(email);
      }
      expect((await contactEvents(email)).rows).toHaveLength(1);
      const accounts = await db.query('SELECT id, role, password_hash FROM users WHERE lower(email) = lower($1)', [email]);
      expect(accounts.rows).toEqual([{ id: expect.any(String), role: 'partner', password_hash: null }]);
      // The one account is the one the activation e-mail opens.
      const token = await activationMail(answers[1].status === 201 ? email.toUpperCase() : email);
      expectStatus(await stack.http.post('/api/auth/activate').send({ token, password: `race-password-${round}-Kq8!` }), 200, `round ${round}: activating`);
    }
    // A staff member's address is taken as well, and a refused request leaves no institution behind.
    const taken = await stack.http.post('/api/partner-institutions').set(admin).send({ name: 'Taken', country: 'EG', contact: { fullName: 'Taken', email: 'Reviewer.One@institute.test', language: 'en' } });
    expectProblem(taken, 409, 'registering with a staff e-mail');
    expect((await contactEvents('reviewer.one@institute.test')).rows).toHaveLength(0);
  });

  it('answers 412 to a stale If-Match and 200 to the current one', async () => {
    const created = await createProposal(partner.a, 'A: versions');
    const id = created.id;
    expect(created.version).toBe(1);
    const first = await stack.http.patch(`/api/proposals/${id}`).set(partner.a).set('If-Match', '"1"').send({ durationMonths: 24 });
    expectStatus(first, 200, 'PATCH with the current version');
    expect(first.headers.etag).toBe('"2"');
    const stale = await stack.http.patch(`/api/proposals/${id}`).set(partner.a).set('If-Match', '"1"').send({ durationMonths: 36 });
    expectProblem(stale, 412, 'PATCH with a stale version');
    expectProblem(await stack.http.post(`/api/proposals/${id}/submit`).set(partner.a).set('If-Match', '"1"'), 412, 'submit with a stale version');
    expectProblem(await stack.http.post(`/api/proposals/${id}/withdraw`).set(partner.a).set('If-Match', '"1"').send({}), 412, 'withdraw with a stale version');
    const current = await stack.http.patch(`/api/proposals/${id}`).set(partner.a).set('If-Match', first.headers.etag).send({ durationMonths: 30 });
    expectStatus(current, 200, 'PATCH with the ETag of the last answer');
    expect(current.headers.etag).toBe('"3"');
    const detail = await readAt(`/api/proposals/${id}`, partner.a, current.headers['x-position']);
    expect(detail.body).toMatchObject({ status: 'draft', durationMonths: 30, version: 3 });
  });

  it('shows a partner its own submission in the very next list read with X-Min-Position (100 times)', async () => {
    const unavailableBefore = unavailable;
    const flow = async (n: number) => {
      const { id } = await createProposal(partner.b, `B: read your writes ${n}`);
      const submitted = await stack.http.post(`/api/proposals/${id}/submit`).set(partner.b);
      expectStatus(submitted, 200, `flow ${n}: submit`);
      expect(submitted.headers['x-position']).toBe(String(submitted.body.position));
      // A 503 (see readAt) is allowed and counted; every 200 must show the submission.
      const list = await readAt('/api/proposals?limit=50', partner.b, submitted.body.position);
      expectStatus(list, 200, `flow ${n}: list`);
      const item = list.body.items.find((p: { id: string }) => p.id === id);
      expect({ n, status: item?.status }).toEqual({ n, status: 'submitted' });
    };
    // Ten partner sessions at once, each submitting and listing ten times in a row.
    await Promise.all(
      Array.from({ length: 10 }, async (_, lane) => {
        for (let i = 0; i < 10; i += 1) await flow(lane * 10 + i);
      }),
    );
    // Only a PostgreSQL transaction held open elsewhere in the cluster (its xmin) can hold the projection back 5 s.
    if (unavailable > unavailableBefore) console.warn(`read-your-writes: ${unavailable - unavailableBefore} answers of 503 were asked again`);

    // B's 100 proposals are B's alone: A's list has none of them, B's has none of A's.
    const listB = await stack.http.get('/api/proposals?limit=500').set(partner.b);
    const listA = await stack.http.get('/api/proposals?limit=500').set(partner.a);
    expect(listB.body.items.filter((p: { title: string }) => p.title.startsWith('B: read your writes'))).toHaveLength(100);
    expect(listB.body.items.every((p: { institutionId: string }) => p.institutionId === institution.b)).toBe(true);
    expect(listA.body.items.every((p: { institutionId: string }) => p.institutionId === institution.a)).toBe(true);
  });
});
