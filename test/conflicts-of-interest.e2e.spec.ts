import { waitFor } from '@passerelle/testing';
import { bearer, declareNoConflict, type Headers, partnerInstitution, PROPOSAL } from './support/callers';
import { queryRows } from './support/sql';
import { type Stack, startStack } from './support/stack';

/**
 * Conflicts of interest (issue 21, API.md "Conflicts of interest"): a staff member declares, once and for
 * good, a conflict with a proposal or none before reviewing, sending back, approving or rejecting it; a
 * conflicted staff member takes no part and does not count towards APPROVALS_REQUIRED (2 here, with three
 * staff). Staff see the declarations in the proposal's detail, admins in the audit; partners never.
 */

const STAFF_PASSWORD = 'staff-password-Cf4#wR9k';
const REASON = 'Supervised the project lead’s doctoral thesis';

describe('conflicts of interest of the staff who decide on a proposal', () => {
  let stack: Stack;
  let admin: Headers;
  let partner: Headers;
  const staff: { amina: Headers; kairat: Headers; lena: Headers } = { amina: {}, kairat: {}, lena: {} };
  const staffIds: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack('conflicts_of_interest', { env: { APPROVALS_REQUIRED: '2' } });
    admin = bearer(stack.token);
    for (const name of ['amina', 'kairat', 'lena'] as const) {
      const email = `${name}@institute.test`;
      await stack.http.post('/api/staff').set(admin).send({ email, fullName: name, password: STAFF_PASSWORD }).expect(201);
      const login = await stack.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD }).expect(200);
      staff[name] = bearer(login.body.accessToken);
      staffIds[name] = login.body.user.id;
    }
    partner = (await partnerInstitution(stack, 'University of Zambia', { fullName: 'Contact A', email: 'contact@unza.test' })).headers;
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function submitted(title = PROPOSAL.title): Promise<string> {
    const created = await stack.http.post('/api/proposals').set(partner).send({ ...PROPOSAL, title }).expect(201);
    await stack.http.post(`/api/proposals/${created.body.id}/submit`).set(partner).expect(200);
    return created.body.id;
  }

  const eventsOf = async (id: string) =>
    queryRows<{ type: string; data: Record<string, unknown>; position: string }>(stack.db.url, 'SELECT type, data, position FROM events WHERE stream_id = $1 ORDER BY version', [`proposal-${id}`]);

  /** A 409 of `code`, and not one event more on the proposal's stream. */
  async function refused(id: string, send: () => PromiseLike<{ status: number; body: { code?: string } }>, code: string, what: string): Promise<void> {
    const before = (await eventsOf(id)).length;
    const answer = await send();
    expect({ what, status: answer.status, code: answer.body.code }).toEqual({ what, status: 409, code });
    expect({ what, appended: (await eventsOf(id)).length - before }).toEqual({ what, appended: 0 });
  }

  /**
   * The request sent again, as a client does, while it answers the 409 of a race lost over and over to
   * other writes on the same proposal (`concurrent-change`: "try again"); any other answer as it is.
   */
  async function insisting<T extends { status: number; body: { type?: string } }>(send: () => PromiseLike<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await send();
      if (answer.status !== 409 || !answer.body.type?.endsWith('concurrent-change') || attempt === 5) return answer;
    }
  }

  const decisions = (id: string, as: Headers): [string, () => PromiseLike<{ status: number; body: { code?: string } }>][] => [
    ['review', () => stack.http.post(`/api/proposals/${id}/reviews`).set(as).send({ score: 4, recommendation: 'approve', comment: 'Sound' })],
    ['request changes', () => stack.http.post(`/api/proposals/${id}/request-changes`).set(as).send({ comment: 'Detail the budget' })],
    ['approve', () => stack.http.post(`/api/proposals/${id}/approve`).set(as)],
    ['reject', () => stack.http.post(`/api/proposals/${id}/reject`).set(as).send({ reason: 'Out of scope' })],
  ];

  it('refuses reviewing, sending back, approving and rejecting without a declaration, for staff and admins alike', async () => {
    const id = await submitted('Undeclared');
    for (const as of [staff.amina, admin]) {
      for (const [what, send] of decisions(id, as)) await refused(id, send, 'conflict_undeclared', what);
    }
    await declareNoConflict(stack, id, staff.amina);
    const approved = await stack.http.post(`/api/proposals/${id}/approve`).set(staff.amina).expect(200);
    expect(approved.body.status).toBe('submitted');
  });

  it('refuses a conflicted staff member for good and does not count them: the two others approve it, and only staff and admins see the declarations', async () => {
    const id = await submitted('Three staff, one conflicted');
    const declared = await stack.http.post(`/api/proposals/${id}/conflict-declarations`).set(staff.lena).send({ conflict: true, reason: `  ${REASON}  ` }).expect(201);
    expect(declared.body).toEqual({ id, version: 3, position: expect.any(Number) });
    await refused(id, () => stack.http.post(`/api/proposals/${id}/conflict-declarations`).set(staff.lena).send({ conflict: false }), 'conflict_already_declared', 'a second declaration');
    for (const [what, send] of decisions(id, staff.lena)) await refused(id, send, 'conflict_of_interest', what);

    await declareNoConflict(stack, id, staff.amina);
    await declareNoConflict(stack, id, staff.kairat);
    const first = await stack.http.post(`/api/proposals/${id}/approve`).set(staff.amina).expect(200);
    expect(first.body.status).toBe('submitted');
    await refused(id, () => stack.http.post(`/api/proposals/${id}/approve`).set(staff.lena), 'conflict_of_interest', 'approve after another');
    const second = await stack.http.post(`/api/proposals/${id}/approve`).set(staff.kairat).expect(200);
    expect(second.body.status).toBe('approved');
    const approvedEvent = (await eventsOf(id)).find((e) => e.type === 'ProposalApproved')!;
    expect((approvedEvent.data.approvers as string[]).sort()).toEqual([staffIds.amina, staffIds.kairat].sort());

    // Staff: who, when, conflict or not, the reason (trimmed), oldest first.
    const detail = await stack.http.get(`/api/proposals/${id}`).set(staff.amina).set('X-Min-Position', String(second.body.position)).expect(200);
    expect(detail.body.conflictDeclarations).toEqual([
      { staffId: staffIds.lena, conflict: true, reason: REASON, declaredAt: expect.any(String) },
      { staffId: staffIds.amina, conflict: false, reason: null, declaredAt: expect.any(String) },
      { staffId: staffIds.kairat, conflict: false, reason: null, declaredAt: expect.any(String) },
    ]);
    expect(detail.body.approvals.map((a: { approverId: string }) => a.approverId)).toEqual([staffIds.amina, staffIds.kairat]);
    const adminDetail = await stack.http.get(`/api/proposals/${id}`).set(admin).expect(200);
    expect(adminDetail.body.conflictDeclarations).toHaveLength(3);

    // Admins: the events, in the audit.
    const audit = await stack.http.get(`/api/audit/proposal/${id}`).set(admin).expect(200);
    const inAudit = audit.body.filter((e: { type: string }) => e.type === 'ConflictOfInterestDeclared');
    expect(inAudit.map((e: { data: object; metadata: { actor: string } }) => [e.data, e.metadata.actor])).toEqual([
      [{ proposalId: id, staffId: staffIds.lena, conflict: true, reason: REASON, declaredAt: expect.any(String) }, staffIds.lena],
      [{ proposalId: id, staffId: staffIds.amina, conflict: false, reason: null, declaredAt: expect.any(String) }, staffIds.amina],
      [{ proposalId: id, staffId: staffIds.kairat, conflict: false, reason: null, declaredAt: expect.any(String) }, staffIds.kairat],
    ]);

    // Partners: not in the detail, its history, the list or their own personal-data export.
    const own = await stack.http.get(`/api/proposals/${id}`).set(partner).set('X-Min-Position', String(second.body.position)).expect(200);
    expect(own.body).not.toHaveProperty('conflictDeclarations');
    expect(own.body.history.map((h: { type: string }) => h.type)).toEqual(['ProposalDrafted', 'ProposalSubmitted', 'ProposalApprovalRecorded', 'ProposalApprovalRecorded', 'ProposalApproved']);
    const list = await stack.http.get('/api/proposals?limit=500').set(partner).expect(200);
    const export_ = await stack.http.get('/api/me/personal-data').set(partner).expect(200);
    for (const [what, body] of [['detail', own.body], ['list', list.body], ['personal-data export', export_.body]] as const) {
      const text = JSON.stringify(body);
      expect({ what, reason: text.includes('thesis'), declarations: /ConflictOfInterest|conflictDeclarations/.test(text) }).toEqual({ what, reason: false, declarations: false });
    }
    await stack.http.post(`/api/proposals/${id}/conflict-declarations`).set(partner).send({ conflict: false }).expect(403);

    // One partnership, established from the two approvals.
    await waitFor(
      async () => (await queryRows<{ n: number }>(stack.db.url, "SELECT count(*)::int AS n FROM events WHERE type = 'PartnershipEstablished' AND data->>'proposalId' = $1", [id]))[0].n === 1,
      { timeoutMs: 20_000, what: 'the partnership' },
    );
  });

  it('keeps a conflict for good across rounds: sent back and resubmitted, the conflicted staff member is still refused', async () => {
    const id = await submitted('Resubmitted');
    await stack.http.post(`/api/proposals/${id}/conflict-declarations`).set(staff.lena).send({ conflict: true, reason: REASON }).expect(201);
    await declareNoConflict(stack, id, staff.amina);
    await stack.http.post(`/api/proposals/${id}/request-changes`).set(staff.amina).send({ comment: 'Detail the budget' }).expect(200);
    await stack.http.post(`/api/proposals/${id}/submit`).set(partner).expect(200);
    for (const [what, send] of decisions(id, staff.lena)) await refused(id, send, 'conflict_of_interest', `${what} in round 2`);
    await refused(id, () => stack.http.post(`/api/proposals/${id}/conflict-declarations`).set(staff.lena).send({ conflict: false }), 'conflict_already_declared', 'declaring again in round 2');
    await stack.http.post(`/api/proposals/${id}/reviews`).set(staff.amina).send({ score: 4, recommendation: 'approve', comment: 'Better' }).expect(201);
  });

  it('gives one partnership when two staff declare and approve at the same instant as a conflicted third tries to approve (5 times)', async () => {
    for (let round = 1; round <= 5; round += 1) {
      const id = await submitted(`Concurrent ${round}`);
      const declareAndApprove = async (as: Headers, declaration: object) => {
        const declared = await insisting(() => stack.http.post(`/api/proposals/${id}/conflict-declarations`).set(as).send(declaration));
        expect({ status: declared.status, body: declared.body }).toEqual({ status: 201, body: expect.objectContaining({ id }) });
        return insisting(() => stack.http.post(`/api/proposals/${id}/approve`).set(as));
      };
      await stack.http.post(`/api/proposals/${id}/conflict-declarations`).set(staff.lena).send({ conflict: true, reason: REASON }).expect(201);
      const answers = await Promise.all([
        declareAndApprove(staff.amina, { conflict: false }),
        declareAndApprove(staff.kairat, { conflict: false }),
        insisting(() => stack.http.post(`/api/proposals/${id}/approve`).set(staff.lena)),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 409]);
      // Refused for the conflict, or, when the two others were quicker, because it is approved already.
      expect(['conflict_of_interest', 'proposal_status']).toContain(answers[2].body.code);
      expect(answers.slice(0, 2).map((a) => a.body.status).sort()).toEqual(['approved', 'submitted']);
      const events = await eventsOf(id);
      expect(events.filter((e) => e.type === 'ConflictOfInterestDeclared')).toHaveLength(3);
      expect(events.filter((e) => e.type === 'ProposalApprovalRecorded').map((e) => e.data.approverId).sort()).toEqual([staffIds.amina, staffIds.kairat].sort());
      expect(events.filter((e) => e.type === 'ProposalApproved')).toHaveLength(1);
      const approvedAt = Number(events.find((e) => e.type === 'ProposalApproved')!.position);
      await waitFor(
        async () => Number((await queryRows<{ position: string }>(stack.db.url, "SELECT position FROM subscription_checkpoints WHERE name = 'partnership-policy'"))[0]?.position ?? 0) >= approvedAt,
        { timeoutMs: 20_000, what: `round ${round}: the partnership policy past the approval` },
      );
      const established = await queryRows<{ n: number }>(stack.db.url, "SELECT count(*)::int AS n FROM events WHERE type = 'PartnershipEstablished' AND data->>'proposalId' = $1", [id]);
      expect(established[0].n).toBe(1);
    }
  });
});
