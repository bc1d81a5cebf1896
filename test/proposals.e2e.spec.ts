import { waitFor } from '@passerelle/testing';
import { declareNoConflict } from './support/callers';
import { type Stack, startStack } from './support/stack';

const STAFF_PASSWORD = 'a-long-staff-password';

describe('partner institutions, proposals and partnerships, end to end', () => {
  let stack: Stack;
  let admin: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack('proposals');
    admin = { Authorization: `Bearer ${stack.token}` };
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function staff(email: string): Promise<Record<string, string>> {
    await stack.http.post('/api/staff').set(admin).send({ email, fullName: email.split('@')[0], password: STAFF_PASSWORD }).expect(201);
    const login = await stack.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD }).expect(200);
    return { Authorization: `Bearer ${login.body.accessToken}` };
  }

  it('takes a proposal from an activated partner through review, changes and two approvals to a partnership, e-mailing each decision', async () => {
    const registered = await stack.http
      .post('/api/partner-institutions')
      .set(admin)
      .send({ name: 'Université de Dakar', country: 'sn', website: 'https://www.ucad.sn', contact: { fullName: 'Awa Diop', email: 'awa.diop@ucad.sn', language: 'fr' } })
      .expect(201);
    const institutionId = registered.body.id;

    await waitFor(() => stack.smtp.to('awa.diop@ucad.sn').length === 1, { timeoutMs: 20_000, what: 'the activation e-mail' });
    const activation = stack.smtp.to('awa.diop@ucad.sn')[0].parsed;
    expect(activation.subject).toBe('Activez votre compte Passerelle pour Université de Dakar');
    const token = /\/activate\/([A-Za-z0-9_-]{43})/.exec(activation.text ?? '')![1];
    const page = await stack.http.get(`/activate/${token}`).expect(200);
    expect(page.text).toContain('Awa Diop');
    await stack.http.post('/api/auth/login').send({ email: 'awa.diop@ucad.sn', password: 'partner-password-123' }).expect(401);
    await stack.http.post('/api/auth/activate').send({ token, password: 'partner-password-123' }).expect(200);
    const used = await stack.http.post('/api/auth/activate').send({ token, password: 'another-password-456' }).expect(410);
    expect(used.body.detail).toMatch(/already used/);
    const partnerLogin = await stack.http.post('/api/auth/login').send({ email: 'awa.diop@ucad.sn', password: 'partner-password-123' }).expect(200);
    expect(partnerLogin.body.user).toMatchObject({ role: 'partner', institutionId });
    const partner = { Authorization: `Bearer ${partnerLogin.body.accessToken}` };

    const created = await stack.http
      .post('/api/proposals')
      .set(partner)
      .send({ title: 'Dépistage assisté par IA', summary: 'Cliniques rurales', sectors: ['healthcare'], countries: ['SN', 'ZM'], durationMonths: 18, budget: { amount: 120000, currency: 'USD' } })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'draft', version: 1 });
    const id = created.body.id;
    await stack.http.patch(`/api/proposals/${id}`).set(partner).set('If-Match', '"1"').send({ durationMonths: 24 }).expect(200);
    await stack.http.patch(`/api/proposals/${id}`).set(partner).set('If-Match', '"1"').send({ durationMonths: 36 }).expect(412);
    const submitted = await stack.http.post(`/api/proposals/${id}/submit`).set(partner).expect(200);
    expect(submitted.body.status).toBe('submitted');
    await stack.http.patch(`/api/proposals/${id}`).set(partner).send({ durationMonths: 30 }).expect(409);

    const amina = await staff('amina@institute.test');
    const kairat = await staff('kairat@institute.test');
    const undeclared = await stack.http.post(`/api/proposals/${id}/reviews`).set(amina).send({ score: 4, recommendation: 'revise', comment: 'Budget detail' }).expect(409);
    expect(undeclared.body.code).toBe('conflict_undeclared');
    await declareNoConflict(stack, id, amina);
    await declareNoConflict(stack, id, kairat);
    await stack.http.post(`/api/proposals/${id}/reviews`).set(amina).send({ score: 4, recommendation: 'revise', comment: 'Budget detail' }).expect(201);
    await stack.http.post(`/api/proposals/${id}/reviews`).set(kairat).send({ score: 3, recommendation: 'revise', comment: 'Timeline' }).expect(201);
    await stack.http.post(`/api/proposals/${id}/reviews`).set(kairat).send({ score: 5, recommendation: 'approve', comment: 'again' }).expect(409);
    await stack.http.post(`/api/proposals/${id}/request-changes`).set(amina).send({ comment: 'Merci de détailler le budget.' }).expect(200);
    await waitFor(() => stack.smtp.to('awa.diop@ucad.sn').length === 2, { timeoutMs: 20_000, what: 'the changes-requested e-mail' });
    expect(stack.smtp.to('awa.diop@ucad.sn')[1].parsed.subject).toBe('Modifications demandées pour votre proposition « Dépistage assisté par IA »');

    await stack.http.patch(`/api/proposals/${id}`).set(partner).send({ budget: { amount: 150000, currency: 'USD' } }).expect(200);
    await stack.http.post(`/api/proposals/${id}/submit`).set(partner).expect(200);
    const first = await stack.http.post(`/api/proposals/${id}/approve`).set(amina).expect(200);
    expect(first.body.status).toBe('submitted');
    await stack.http.post(`/api/proposals/${id}/approve`).set(amina).expect(409);
    const second = await stack.http.post(`/api/proposals/${id}/approve`).set(kairat).expect(200);
    expect(second.body.status).toBe('approved');
    await waitFor(() => stack.smtp.to('awa.diop@ucad.sn').length === 3, { timeoutMs: 20_000, what: 'the approval e-mail' });
    expect(stack.smtp.to('awa.diop@ucad.sn')[2].parsed.subject).toBe('Votre proposition « Dépistage assisté par IA » est approuvée');

    const partnerships = await waitFor(
      async () => {
        const list = await stack.http.get('/api/partnerships').set(partner).expect(200);
        return list.body.items.length === 1 ? list.body.items : null;
      },
      { timeoutMs: 20_000, what: 'the partnership' },
    );
    expect(partnerships[0]).toMatchObject({ proposalId: id, institutionId, status: 'active', establishedAt: expect.any(String) });

    const detail = await stack.http.get(`/api/proposals/${id}`).set(partner).set('X-Min-Position', String(second.body.position)).expect(200);
    expect(detail.body).toMatchObject({ status: 'approved', round: 2, durationMonths: 24, budget: { amount: 150000, currency: 'USD' }, countries: ['SN', 'ZM'] });
    expect(detail.body.approvals.map((a: { round: number }) => a.round)).toEqual([2, 2]);
    expect(detail.body.reviews).toHaveLength(2);
    expect(detail.body.history.map((h: { type: string }) => h.type)).toEqual([
      'ProposalDrafted',
      'ProposalEdited',
      'ProposalSubmitted',
      'ProposalReviewed',
      'ProposalReviewed',
      'ProposalChangesRequested',
      'ProposalEdited',
      'ProposalResubmitted',
      'ProposalApprovalRecorded',
      'ProposalApprovalRecorded',
      'ProposalApproved',
    ]);
    expect(detail.body.history[0].actor).toBe(partnerLogin.body.user.id);
    expect(detail.body).not.toHaveProperty('conflictDeclarations');
    const staffDetail = await stack.http.get(`/api/proposals/${id}`).set(amina).expect(200);
    expect(staffDetail.body.conflictDeclarations).toEqual([
      { staffId: expect.any(String), conflict: false, reason: null, declaredAt: expect.any(String) },
      { staffId: expect.any(String), conflict: false, reason: null, declaredAt: expect.any(String) },
    ]);
    expect(staffDetail.body.history.filter((h: { type: string }) => h.type === 'ConflictOfInterestDeclared')).toHaveLength(2);

    const pid = partnerships[0].id;
    await stack.http.post(`/api/partnerships/${pid}/suspend`).set(partner).send({ reason: 'no' }).expect(403);
    await stack.http.post(`/api/partnerships/${pid}/suspend`).set(amina).send({ reason: 'Audit' }).expect(200);
    await stack.http.post(`/api/partnerships/${pid}/resume`).set(amina).send({}).expect(200);
    const concluded = await stack.http.post(`/api/partnerships/${pid}/conclude`).set(amina).send({}).expect(200);
    const after = await stack.http.get(`/api/partnerships/${pid}`).set(partner).set('X-Min-Position', String(concluded.body.position)).expect(200);
    expect(after.body.status).toBe('concluded');
  });
});
