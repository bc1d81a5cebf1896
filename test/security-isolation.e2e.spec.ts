import { randomBytes } from 'node:crypto';
import { type Caller, CALLERS, type Callers, compiledReport, declareNoConflict, PARTICIPANT, PROPOSAL, SHARING, setUpCallers, STUDY, WORKSHOP, workshopIn } from './support/callers';
import { correlationId, eventsOf, PRODUCTION_ENV } from './support/security';
import { queryRows } from './support/sql';
import { type Stack, startStack } from './support/stack';

/**
 * Isolation by caller (issue 19), against API.md: each endpoint called by the six kinds of caller, on a
 * production-mode stack. 401 without a valid token, 403 for a role the route is not for, 404 for another
 * institution's proposal or partnership ("not found or not yours"), the route's own 2xx otherwise. A refused
 * call appends nothing; an accepted write appends something (so the "nothing" above means something).
 */

type Expect = Record<Caller, number>;
const forRoles = (ok: number, roles: Partial<Expect>): Expect => ({ anonymous: 401, participant: 401, partnerA: 403, partnerB: 403, staff: 403, admin: 403, ...roles });
/** Staff and admins. */
const STAFF = (ok: number) => forRoles(ok, { staff: ok, admin: ok });
const ADMIN = (ok: number) => forRoles(ok, { admin: ok });
/** Any partner, for itself. */
const PARTNERS = (ok: number) => forRoles(ok, { partnerA: ok, partnerB: ok });
/** Partner A's own resource, partner-only: B is told it does not exist. */
const OWNER = (ok: number) => forRoles(ok, { partnerA: ok, partnerB: 404 });
/** Partner A's own resource, which staff read too. */
const OWNER_OR_STAFF = (ok: number) => forRoles(ok, { partnerA: ok, partnerB: 404, staff: ok, admin: ok });
const ANY_ROLE = (ok: number) => forRoles(ok, { partnerA: ok, partnerB: ok, staff: ok, admin: ok });
/** Reached with the link of the participant's e-mail; everyone else holds some other link: 404. */
const LINK = (ok: number): Expect => ({ anonymous: 404, participant: ok, partnerA: 404, partnerB: 404, staff: 404, admin: 404 });
const PUBLIC = (ok: number): Expect => ({ anonymous: ok, participant: ok, partnerA: ok, partnerB: ok, staff: ok, admin: ok });

type Call = { method: 'get' | 'post' | 'put' | 'patch'; path: string; body?: object };
const get = (path: string): Call => ({ method: 'get', path });
const post = (path: string, body?: object): Call => ({ method: 'post', path, body });

interface Row {
  route: string;
  expect: Expect;
  /** The request `caller` sends; `allowed`: a caller the route lets in, who gets a resource of its own where the write changes state. */
  call(caller: Caller, allowed: boolean, correlation: string): Call | Promise<Call>;
  /** What an accepted write stored under this correlation id (default: the events it appended). */
  stored?(correlation: string): Promise<number>;
}

describe('isolation by caller: every endpoint of API.md, six kinds of caller', () => {
  let stack: Stack;
  let c: Callers;
  const f = {} as {
    planned: string;
    open: Awaited<ReturnType<typeof workshopIn>>;
    running: Awaited<ReturnType<typeof workshopIn>>;
    reported: string;
    draft: string;
    submitted: string;
    active: string;
    suspended: string;
  };
  /** A link no invitation has: what the callers other than the participant hold. */
  const otherLink = randomBytes(32).toString('base64url');
  const link = (caller: Caller) => (caller === 'participant' ? c.rsvpToken : otherLink);

  beforeAll(async () => {
    stack = await startStack('security_isolation', { env: { ...PRODUCTION_ENV, APPROVALS_REQUIRED: '1' } });
    c = await setUpCallers(stack);
    f.planned = (await workshopIn(stack, 'planned')).id;
    f.open = await workshopIn(stack, 'registration_open');
    f.running = await workshopIn(stack, 'in_progress');
    f.reported = (await workshopIn(stack, 'concluded')).id;
    await compiledReport(stack, f.reported);
    f.draft = await c.proposal('draft');
    f.submitted = await c.proposal('submitted');
    f.active = await c.partnership('active');
    f.suspended = await c.partnership('suspended');
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** The data subject of the participant's invitation (its sealed fields keep the subject id in clear). */
  const participantSubject = async () =>
    (await queryRows<{ id: string }>(stack.db.url, "SELECT split_part(data->>'fullName', '.', 2) AS id FROM events WHERE type = 'InvitationIssued' ORDER BY position LIMIT 1"))[0].id;
  const fresh = async (allowed: boolean, shared: string, make: () => Promise<string>) => (allowed ? make() : shared);
  /** A new submitted proposal on which `caller` declared no conflict of interest, as deciding on it requires. */
  const declaredBy = async (caller: Caller) => {
    const id = await c.proposal('submitted');
    await declareNoConflict(stack, id, c.headers[caller]);
    return id;
  };
  /** The data subject of an address, as an admin looks it up. */
  const subjectOf = async (email: string) => (await stack.http.get(`/api/privacy/subjects?email=${email}`).set(c.headers.admin).expect(200)).body.subjectId as string;
  /** A participant newly invited (a subject of their own, for an erasure that succeeds). */
  const subjectInvited = async () => {
    const email = `erased-${randomBytes(4).toString('hex')}@delegation.test`;
    await stack.http.post(`/api/workshops/${f.open.id}/invitations`).set(c.headers.admin).send({ participants: [{ ...PARTICIPANT, email }] }).expect(202);
    return subjectOf(email);
  };
  const ROWS: Row[] = [
    { route: 'GET /api/me', expect: ANY_ROLE(200), call: () => get('/api/me') },
    {
      route: 'POST /api/staff',
      expect: ADMIN(201),
      call: (_, __, id) => post('/api/staff', { email: `${id}@institute.test`, fullName: 'New Staff', password: 'staff-password-Nn2#xQ7w' }),
      stored: async (id) => (await queryRows<{ n: number }>(stack.db.url, 'SELECT count(*)::int AS n FROM users WHERE email = $1', [`${id}@institute.test`]))[0].n,
    },
    { route: 'POST /api/workshops', expect: STAFF(201), call: () => post('/api/workshops', WORKSHOP) },
    { route: 'GET /api/workshops', expect: STAFF(200), call: () => get('/api/workshops') },
    { route: 'GET /api/workshops/:id', expect: STAFF(200), call: () => get(`/api/workshops/${f.open.id}`) },
    { route: 'POST /api/workshops/:id/sessions', expect: STAFF(201), call: () => post(`/api/workshops/${f.planned}/sessions`, STUDY) },
    {
      route: 'POST /api/workshops/:id/open-registration',
      expect: STAFF(200),
      call: async (_, allowed) => post(`/api/workshops/${await fresh(allowed, f.planned, async () => (await workshopIn(stack, 'planned')).id)}/open-registration`),
    },
    {
      route: 'POST /api/workshops/:id/invitations',
      expect: STAFF(202),
      call: (_, __, id) => post(`/api/workshops/${f.open.id}/invitations`, { participants: [{ ...PARTICIPANT, email: `${id}@delegation.test` }] }),
    },
    { route: 'GET /api/workshops/:id/invitations', expect: STAFF(200), call: () => get(`/api/workshops/${f.open.id}/invitations`) },
    {
      route: 'POST /api/workshops/:id/start',
      expect: STAFF(200),
      call: async (_, allowed) => post(`/api/workshops/${await fresh(allowed, f.open.id, async () => (await workshopIn(stack, 'registration_open')).id)}/start`),
    },
    {
      route: 'POST /api/workshops/:id/sessions/:sessionId/attendance',
      expect: STAFF(200),
      call: () => post(`/api/workshops/${f.running.id}/sessions/${f.running.studyId}/attendance`, { invitationIds: f.running.invitationIds }),
    },
    {
      route: 'POST /api/workshops/:id/solutions',
      expect: STAFF(201),
      call: () => post(`/api/workshops/${f.running.id}/solutions`, { company: 'MedVision', title: 'Screening', sector: 'healthcare', sessionId: f.running.sharingId }),
    },
    {
      route: 'POST /api/workshops/:id/conclude',
      expect: STAFF(202),
      call: async (_, allowed) => post(`/api/workshops/${await fresh(allowed, f.running.id, async () => (await workshopIn(stack, 'in_progress')).id)}/conclude`),
    },
    { route: 'GET /api/workshops/:id/report', expect: STAFF(200), call: () => get(`/api/workshops/${f.reported}/report`) },
    { route: 'GET /api/workshops/:id/report.pdf', expect: STAFF(200), call: () => get(`/api/workshops/${f.reported}/report.pdf`) },
    { route: 'GET /api/workshops/:id/report.csv', expect: STAFF(200), call: () => get(`/api/workshops/${f.reported}/report.csv`) },
    { route: 'GET /api/workshops/:id/participants.xlsx', expect: STAFF(200), call: () => get(`/api/workshops/${f.open.id}/participants.xlsx`) },
    { route: 'GET /api/exports/proposals.xlsx', expect: STAFF(200), call: () => get('/api/exports/proposals.xlsx') },
    { route: 'GET /api/exports/partnerships.xlsx', expect: STAFF(200), call: () => get('/api/exports/partnerships.xlsx') },
    { route: 'PUT /api/ministries/:country', expect: STAFF(200), call: (_, __, id) => ({ method: 'put', path: '/api/ministries/ZM', body: { ministryName: `Ministry of Technology ${id}`, email: 'ict@mots.gov.test', language: 'en' } }) },
    { route: 'GET /api/ministries', expect: STAFF(200), call: () => get('/api/ministries') },
    {
      route: 'POST /api/partner-institutions',
      expect: STAFF(201),
      call: (_, __, id) => post('/api/partner-institutions', { name: 'Institut Pasteur', country: 'SN', contact: { fullName: 'Awa Ndiaye', email: `${id}@pasteur.test`, language: 'fr' } }),
    },
    { route: 'GET /api/partner-institutions', expect: STAFF(200), call: () => get('/api/partner-institutions') },
    { route: 'GET /api/partner-institutions/:id', expect: STAFF(200), call: () => get(`/api/partner-institutions/${c.institutionA}`) },
    {
      route: 'POST /api/partner-institutions/:id/contacts',
      expect: STAFF(201),
      call: (_, __, id) => post(`/api/partner-institutions/${c.institutionA}/contacts`, { fullName: 'Second Contact', email: `${id}@unza.test`, language: 'en' }),
    },
    { route: 'POST /api/proposals', expect: PARTNERS(201), call: () => post('/api/proposals', PROPOSAL) },
    { route: 'GET /api/proposals', expect: ANY_ROLE(200), call: () => get('/api/proposals') },
    { route: 'GET /api/proposals/:id', expect: OWNER_OR_STAFF(200), call: () => get(`/api/proposals/${f.submitted}`) },
    { route: 'PATCH /api/proposals/:id', expect: OWNER(200), call: () => ({ method: 'patch', path: `/api/proposals/${f.draft}`, body: { title: 'Edited title' } }) },
    { route: 'POST /api/proposals/:id/submit', expect: OWNER(200), call: async (_, allowed) => post(`/api/proposals/${await fresh(allowed, f.draft, () => c.proposal('draft'))}/submit`) },
    {
      route: 'POST /api/proposals/:id/withdraw',
      expect: OWNER(200),
      call: async (_, allowed) => post(`/api/proposals/${await fresh(allowed, f.submitted, () => c.proposal('submitted'))}/withdraw`, { reason: 'Merged' }),
    },
    {
      route: 'POST /api/proposals/:id/reviews',
      expect: STAFF(201),
      call: async (caller, allowed) =>
        post(`/api/proposals/${await fresh(allowed, f.submitted, () => declaredBy(caller))}/reviews`, { score: 4, recommendation: 'approve', comment: 'Sound plan' }),
    },
    {
      route: 'POST /api/proposals/:id/request-changes',
      expect: STAFF(200),
      call: async (caller, allowed) => post(`/api/proposals/${await fresh(allowed, f.submitted, () => declaredBy(caller))}/request-changes`, { comment: 'Detail the budget' }),
    },
    { route: 'POST /api/proposals/:id/approve', expect: STAFF(200), call: async (caller, allowed) => post(`/api/proposals/${await fresh(allowed, f.submitted, () => declaredBy(caller))}/approve`) },
    {
      route: 'POST /api/proposals/:id/conflict-declarations',
      expect: STAFF(201),
      call: async (_, allowed) => post(`/api/proposals/${await fresh(allowed, f.submitted, () => c.proposal('submitted'))}/conflict-declarations`, { conflict: true, reason: 'Former employer' }),
    },
    {
      route: 'POST /api/proposals/:id/reject',
      expect: STAFF(200),
      call: async (caller, allowed) => post(`/api/proposals/${await fresh(allowed, f.submitted, () => declaredBy(caller))}/reject`, { reason: 'Out of scope' }),
    },
    { route: 'GET /api/partnerships', expect: ANY_ROLE(200), call: () => get('/api/partnerships') },
    { route: 'GET /api/partnerships/:id', expect: OWNER_OR_STAFF(200), call: () => get(`/api/partnerships/${f.active}`) },
    { route: 'POST /api/partnerships/:id/suspend', expect: STAFF(200), call: async (_, allowed) => post(`/api/partnerships/${await fresh(allowed, f.active, () => c.partnership('active'))}/suspend`, {}) },
    { route: 'POST /api/partnerships/:id/resume', expect: STAFF(200), call: async (_, allowed) => post(`/api/partnerships/${await fresh(allowed, f.suspended, () => c.partnership('suspended'))}/resume`, {}) },
    { route: 'POST /api/partnerships/:id/conclude', expect: STAFF(200), call: async (_, allowed) => post(`/api/partnerships/${await fresh(allowed, f.active, () => c.partnership('active'))}/conclude`, {}) },
    { route: 'POST /api/partnerships/:id/renew', expect: STAFF(200), call: async (_, allowed) => post(`/api/partnerships/${await fresh(allowed, f.active, () => c.partnership('active'))}/renew`, { endsOn: '2099-12-31' }) },
    {
      route: 'PATCH /api/partnerships/:id/term',
      expect: STAFF(200),
      call: async (_, allowed) => ({ method: 'patch', path: `/api/partnerships/${await fresh(allowed, f.active, () => c.partnership('active'))}/term`, body: { endsOn: '2098-12-31' } }),
    },
    { route: 'GET /api/audit/:streamType/:id', expect: ADMIN(200), call: () => get(`/api/audit/proposal/${f.submitted}`) },
    { route: 'GET /api/privacy/subjects/:subjectId/export', expect: ADMIN(200), call: async () => get(`/api/privacy/subjects/${await participantSubject()}/export`) },
    { route: 'GET /api/me/personal-data', expect: PARTNERS(200), call: () => get('/api/me/personal-data') },
    { route: 'GET /api/privacy/subjects', expect: ADMIN(200), call: () => get('/api/privacy/subjects?email=participant@delegation.test') },
    {
      route: 'POST /api/privacy/subjects/:subjectId/erase',
      expect: ADMIN(200),
      call: async (_, allowed) => post(`/api/privacy/subjects/${allowed ? await subjectInvited() : await subjectOf('participant@delegation.test')}/erase`, { reason: 'Request of the person' }),
    },
    { route: 'GET /api/rsvp/:token', expect: LINK(200), call: (caller) => get(`/api/rsvp/${link(caller)}`) },
    { route: 'POST /api/rsvp/:token', expect: LINK(200), call: (caller) => post(`/api/rsvp/${link(caller)}`, { response: 'accept' }) },
    { route: 'GET /rsvp/:token (page)', expect: LINK(200), call: (caller) => get(`/rsvp/${link(caller)}`) },
    { route: 'GET /health', expect: PUBLIC(200), call: () => get('/health') },
    { route: 'GET /docs-json', expect: PUBLIC(200), call: () => get('/docs-json') },
  ];

  it.each(ROWS)('$route', async ({ route, expect: expected, call, stored }) => {
    const statuses = {} as Record<Caller, number>;
    const appended = {} as Record<Caller, 'some' | 'none'>;
    const wanted = {} as Record<Caller, 'some' | 'none'>;
    for (const caller of CALLERS) {
      const allowed = expected[caller] < 300;
      const id = correlationId();
      const { method, path, body } = await call(caller, allowed, id);
      const test = stack.http[method](path).set(c.headers[caller]).set('X-Correlation-Id', id);
      const answer = await (body === undefined ? test : test.send(body));
      statuses[caller] = answer.status;
      appended[caller] = (await (stored ?? ((x: string) => eventsOf(stack.db.url, x)))(id)) > 0 ? 'some' : 'none';
      wanted[caller] = allowed && method !== 'get' ? 'some' : 'none';
      if (answer.status >= 400) expect({ route, caller, type: answer.headers['content-type'] }).toEqual({ route, caller, type: expect.stringMatching(/^application\/problem\+json|^text\/html/) });
    }
    expect({ route, statuses, appended }).toEqual({ route, statuses: expected, appended: wanted });
  });

  it("lists to each partner only its own institution's proposals and partnerships, and tells each caller who it is", async () => {
    const ids = (answer: { body: { items: { id: string }[] } }) => answer.body.items.map((item) => item.id);
    const read = (caller: Caller, path: string) => stack.http.get(path).set(c.headers[caller]).expect(200);
    const ofA = [f.draft, f.submitted];
    expect(ids(await read('partnerA', '/api/proposals?limit=500'))).toEqual(expect.arrayContaining(ofA));
    expect(ids(await read('staff', '/api/proposals?limit=500'))).toEqual(expect.arrayContaining([f.submitted]));
    for (const status of ['', '&status=draft', '&status=submitted', '&status=approved']) {
      // B has proposals of its own (the matrix had it create some): only those.
      const items: { id: string; institutionId: string }[] = (await read('partnerB', `/api/proposals?limit=500${status}`)).body.items;
      expect({ status, others: items.filter((item) => item.institutionId !== c.institutionB || ofA.includes(item.id)) }).toEqual({ status, others: [] });
    }
    expect(ids(await read('partnerA', '/api/partnerships?limit=500'))).toEqual(expect.arrayContaining([f.active, f.suspended]));
    expect((await read('partnerB', '/api/partnerships?limit=500')).body.items).toEqual([]);
    const me = Object.fromEntries(await Promise.all((['partnerA', 'partnerB', 'staff', 'admin'] as const).map(async (caller) => [caller, (await read(caller, '/api/me')).body])));
    expect(me).toMatchObject({
      partnerA: { email: 'contact@unza.test', role: 'partner', institutionId: c.institutionA },
      partnerB: { email: 'contact@ui.test', role: 'partner', institutionId: c.institutionB },
      staff: { email: 'matrix.staff@institute.test', role: 'staff' },
      admin: { email: 'admin@passerelle.test', role: 'admin' },
    });
  });
});
