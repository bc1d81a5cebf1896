import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { CALL_CLOSING_QUEUE, callClosingJobId } from '@passerelle/calls';
import { MetricsRegistry } from '@passerelle/platform';
import { waitFor } from '@passerelle/testing';
import { CallClosingTimer } from '../apps/worker/src/calls/call-closing.timer';
import { ReconcileTimer } from '../apps/worker/src/reconcile/reconcile.timer';
import { bearer, type Headers, partnerInstitution } from './support/callers';
import { type Stack, startStack } from './support/stack';

/**
 * A call for proposals from opening to closing, through the API and the worker: proposals to it from two
 * institutions (a country outside the call and a budget over its ceiling refused), the call closing by
 * itself at its time (a window of a few seconds) exactly once, submissions after that refused, and staff
 * closing another call early.
 */

const STAFF = { email: 'noor.call@institute.test', fullName: 'Noor Call', password: 'staff-password-Hq4$mR9w' };
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const PROPOSAL = { title: 'Telemedicine for district hospitals', summary: 'Remote consultations for twelve district hospitals.', sectors: ['health'], countries: ['ZM'], durationMonths: 12 };
/** The window the first call stays open: long enough for the steps before its close, short enough to wait for. */
const WINDOW_SECONDS = 10;

interface AuditEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: string | null };
}

describe('calls for proposals', () => {
  let stack: Stack;
  let admin: Headers;
  let staff: Headers;
  let first: { id: string; headers: Headers };
  let second: { id: string; headers: Headers };

  beforeAll(async () => {
    stack = await startStack('calls');
    admin = bearer(stack.token);
    await stack.http.post('/api/staff').set(admin).send(STAFF).expect(201);
    staff = bearer((await stack.http.post('/api/auth/login').send({ email: STAFF.email, password: STAFF.password }).expect(200)).body.accessToken);
    first = await partnerInstitution(stack, 'University of Zambia', { fullName: 'Lindiwe Banda', email: 'l.banda@unza.test' });
    second = await partnerInstitution(stack, 'Universitas Indonesia', { fullName: 'Siti Rahma', email: 's.rahma@ui.test' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const audit = async (id: string): Promise<AuditEvent[]> => (await stack.http.get(`/api/audit/call/${id}`).set(admin).expect(200)).body;
  const openCall = async (fields: Record<string, unknown>, headers: Headers = staff) => {
    const response = await stack.http.post('/api/calls').set(headers).send({ title: 'Digital health 2031', summary: 'Proposals on digital health in rural districts.', sectors: ['health', 'education'], countries: ['ZM', 'SN'], ...fields });
    expect(response.status).toBe(201);
    return response.body as { id: string; version: number; position: number; status: string };
  };
  const draft = (as: Headers, fields: Record<string, unknown>) => stack.http.post('/api/proposals').set(as).send({ ...PROPOSAL, ...fields });

  it('lives from opening to closing by itself, with proposals checked against it all along', async () => {
    const opened = await openCall({ opensAt: inSeconds(-60), closesAt: inSeconds(WINDOW_SECONDS), budgetCeiling: { amount: 100000, currency: 'USD' } });
    expect(opened).toMatchObject({ version: 1, status: 'open' });
    const callId = opened.id;

    // Partners see it among the open calls, as staff do.
    const seen = await stack.http.get('/api/calls').set(first.headers).set('X-Min-Position', String(opened.position)).expect(200);
    expect(seen.body.items.map((call: { id: string }) => call.id)).toEqual([callId]);
    expect(seen.body.items[0]).toMatchObject({ status: 'open', sectors: ['health', 'education'], countries: ['ZM', 'SN'], budgetCeiling: { amount: 100000, currency: 'USD' }, closedAt: null });
    expect((await stack.http.get(`/api/calls/${callId}`).set(second.headers).expect(200)).body.title).toBe('Digital health 2031');

    // The first institution: within the call, drafted and submitted.
    const eligible = await draft(first.headers, { callId, budget: { amount: 90000, currency: 'USD' } });
    expect(eligible.status).toBe(201);
    const submitted = await stack.http.post(`/api/proposals/${eligible.body.id}/submit`).set(first.headers);
    expect({ status: submitted.status, body: submitted.body.status }).toEqual({ status: 200, body: 'submitted' });

    // The second: a country outside the call, then a budget over its ceiling, each refused naming the field.
    const outsideCountry = await draft(second.headers, { callId, countries: ['ZM', 'KZ'], budget: { amount: 50000, currency: 'USD' } });
    expect({ status: outsideCountry.status, code: outsideCountry.body.code, fields: outsideCountry.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
      status: 409,
      code: 'call_ineligible',
      fields: ['countries'],
    });
    expect(outsideCountry.headers['content-type']).toMatch(/^application\/problem\+json/);
    const overCeiling = await draft(second.headers, { callId, budget: { amount: 150000, currency: 'USD' } });
    expect({ status: overCeiling.status, code: overCeiling.body.code, fields: overCeiling.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
      status: 409,
      code: 'call_ineligible',
      fields: ['budget.amount'],
    });
    const otherCurrency = await draft(second.headers, { callId, sectors: ['mining'], budget: { amount: 1000, currency: 'EUR' } });
    expect({ status: otherCurrency.status, fields: otherCurrency.body.errors?.map((e: { field: string }) => e.field).sort() }).toEqual({ status: 409, fields: ['budget.currency', 'sectors'] });
    // A draft may leave its budget for later; submitted to a call with a ceiling, it must have one.
    const noBudget = await draft(second.headers, { callId });
    expect(noBudget.status).toBe(201);
    const refusedSubmission = await stack.http.post(`/api/proposals/${noBudget.body.id}/submit`).set(second.headers);
    expect({ status: refusedSubmission.status, code: refusedSubmission.body.code, fields: refusedSubmission.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
      status: 409,
      code: 'call_ineligible',
      fields: ['budget'],
    });
    // An edit that leaves the call's terms is told at once.
    const badEdit = await stack.http.patch(`/api/proposals/${noBudget.body.id}`).set(second.headers).send({ countries: ['BR'] });
    expect({ status: badEdit.status, code: badEdit.body.code }).toEqual({ status: 409, code: 'call_ineligible' });
    const edited = await stack.http.patch(`/api/proposals/${noBudget.body.id}`).set(second.headers).send({ budget: { amount: 100000, currency: 'USD' } });
    expect(edited.status).toBe(200);

    // Proposals show their call, today and in the past, and list by it.
    const detail = await stack.http.get(`/api/proposals/${eligible.body.id}`).set(first.headers).expect(200);
    expect(detail.body.callId).toBe(callId);
    const past = await stack.http.get(`/api/proposals/${eligible.body.id}?version=1`).set(first.headers).expect(200);
    expect(past.body.callId).toBe(callId);
    const byCall = await stack.http.get(`/api/proposals?callId=${callId}`).set(staff).set('X-Min-Position', String(edited.body.position)).expect(200);
    expect(byCall.body.items.map((p: { id: string }) => p.id).sort()).toEqual([eligible.body.id, noBudget.body.id].sort());
    const other = await draft(first.headers, {});
    expect(other.status).toBe(201);
    const withoutCall = await stack.http.get(`/api/proposals/${other.body.id}`).set(first.headers).set('X-Min-Position', String(other.body.position)).expect(200);
    expect(withoutCall.body.callId).toBeNull();
    expect((await stack.http.get(`/api/proposals?callId=${callId}`).set(staff).expect(200)).body.items).toHaveLength(2);

    // The worker closes it at its time, by itself.
    const closed = await waitFor(
      async () => {
        const call = (await stack.http.get(`/api/calls/${callId}`).set(staff).expect(200)).body;
        return call.closedBy === 'deadline' ? call : null;
      },
      { timeoutMs: WINDOW_SECONDS * 1000 + 30_000, intervalMs: 200, what: 'the call closed at its time' },
    );
    expect(closed).toMatchObject({ status: 'closed', closedAt: new Date(closed.closesAt).toISOString(), closeReason: null });
    // The sweep that backs the jobs up finds nothing more to do: one CallClosed, by the deadline.
    const sweep = await stack.worker!.get(CallClosingTimer).runPass();
    expect(sweep).toEqual({ closed: 0 });
    const events = await audit(callId);
    expect(events.map((e) => e.type)).toEqual(['CallOpened', 'CallClosed']);
    expect(events[1].data).toEqual({ callId, by: 'deadline', reason: null, closedAt: closed.closesAt });

    // Closed: no submission, no new proposal naming it, gone from the partners' list, and not closed twice.
    const late = await stack.http.post(`/api/proposals/${noBudget.body.id}/submit`).set(second.headers);
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'call_closed' });
    const lateDraft = await draft(second.headers, { callId, budget: { amount: 1000, currency: 'USD' } });
    expect({ status: lateDraft.status, code: lateDraft.body.code }).toEqual({ status: 409, code: 'call_closed' });
    const naming = await stack.http.patch(`/api/proposals/${other.body.id}`).set(first.headers).send({ callId });
    expect({ status: naming.status, code: naming.body.code }).toEqual({ status: 409, code: 'call_closed' });
    expect((await stack.http.get('/api/calls').set(second.headers).expect(200)).body.items).toEqual([]);
    await stack.http.get(`/api/calls/${callId}`).set(second.headers).expect(404);
    expect((await stack.http.get('/api/calls?status=closed').set(staff).expect(200)).body.items.map((c: { id: string }) => c.id)).toContain(callId);
    const again = await stack.http.post(`/api/calls/${callId}/close`).set(staff).send({});
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'call_closed' });
    expect(await audit(callId)).toHaveLength(2);
  });

  it('is closed early by staff, once, with If-Match honoured; a scheduled call is hidden from partners', async () => {
    const opened = await openCall({ opensAt: inSeconds(-5), closesAt: inSeconds(3600) });
    const scheduled = await openCall({ opensAt: inSeconds(3600), closesAt: inSeconds(7200) });
    expect(scheduled.status).toBe('scheduled');

    // A scheduled call: staff see it, partners do not, and no proposal may name it yet.
    const staffView = await stack.http.get(`/api/calls/${scheduled.id}`).set(staff).set('X-Min-Position', String(scheduled.position)).expect(200);
    expect(staffView.body.status).toBe('scheduled');
    await stack.http.get(`/api/calls/${scheduled.id}`).set(first.headers).expect(404);
    expect((await stack.http.get('/api/calls?status=scheduled').set(staff).expect(200)).body.items.map((c: { id: string }) => c.id)).toEqual([scheduled.id]);
    expect((await stack.http.get('/api/calls?status=scheduled').set(first.headers).expect(200)).body.items).toEqual([]);
    const early = await draft(first.headers, { callId: scheduled.id });
    expect({ status: early.status, code: early.body.code }).toEqual({ status: 409, code: 'call_closed' });

    // A proposal drafted while the call is open...
    const proposal = await draft(first.headers, { callId: opened.id });
    expect(proposal.status).toBe(201);

    // ...staff close the call: a stale If-Match is a 412, partners may not, and a second close is a 409.
    await stack.http.post(`/api/calls/${opened.id}/close`).set(staff).set('If-Match', '"7"').send({}).expect(412);
    await stack.http.post(`/api/calls/${opened.id}/close`).set(first.headers).send({}).expect(403);
    const closed = await stack.http.post(`/api/calls/${opened.id}/close`).set(staff).set('If-Match', '"1"').send({ reason: '  Budget reallocated  ' });
    expect({ status: closed.status, body: closed.body, etag: closed.headers.etag }).toEqual({
      status: 200,
      body: { id: opened.id, version: 2, position: expect.any(Number), status: 'closed' },
      etag: '"2"',
    });
    const twice = await stack.http.post(`/api/calls/${opened.id}/close`).set(staff).send({});
    expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'call_closed' });
    const detail = await stack.http.get(`/api/calls/${opened.id}`).set(staff).set('X-Min-Position', String(closed.body.position)).expect(200);
    expect(detail.body).toMatchObject({ status: 'closed', closedBy: 'staff', closeReason: 'Budget reallocated' });
    const events = await audit(opened.id);
    expect(events.map((e) => [e.type, e.data.by ?? null])).toEqual([
      ['CallOpened', null],
      ['CallClosed', 'staff'],
    ]);

    // The proposal drafted before cannot be submitted to it any more.
    const late = await stack.http.post(`/api/proposals/${proposal.body.id}/submit`).set(first.headers);
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'call_closed' });
    // ...but may leave the call, and be submitted on its own.
    await stack.http.patch(`/api/proposals/${proposal.body.id}`).set(first.headers).send({ callId: null }).expect(200);
    await stack.http.post(`/api/proposals/${proposal.body.id}/submit`).set(first.headers).expect(200);
  });

  it('opens a call once per Idempotency-Key, and only for staff', async () => {
    const body = { title: 'Agritech 2031', summary: 'Smallholder agriculture.', sectors: ['agriculture'], countries: ['ID'], opensAt: inSeconds(-5), closesAt: inSeconds(3600) };
    const firstAnswer = await stack.http.post('/api/calls').set(staff).set('Idempotency-Key', 'agritech-2031').send(body).expect(201);
    const secondAnswer = await stack.http.post('/api/calls').set(staff).set('Idempotency-Key', 'agritech-2031').send(body).expect(201);
    expect(secondAnswer.body.id).toBe(firstAnswer.body.id);
    await stack.http.post('/api/calls').set(staff).set('Idempotency-Key', 'agritech-2031').send({ ...body, title: 'Other' }).expect(422);
    expect(await audit(firstAnswer.body.id)).toHaveLength(1);
    await stack.http.post('/api/calls').set(first.headers).send(body).expect(403);
    await stack.http.post('/api/calls').send(body).expect(401);
  });

  it("queues a call's closing job again when Redis lost it", async () => {
    const opened = await openCall({ opensAt: inSeconds(-5), closesAt: inSeconds(3600) });
    const { closesAt } = (await stack.http.get(`/api/calls/${opened.id}`).set(staff).set('X-Min-Position', String(opened.position)).expect(200)).body;
    const queue = stack.worker!.get<Queue>(getQueueToken(CALL_CLOSING_QUEUE), { strict: false });
    const jobId = callClosingJobId(opened.id, closesAt);
    const queued = await waitFor(() => queue.getJob(jobId), { timeoutMs: 30_000, what: 'the closing job queued' });
    expect(await queued.getState()).toBe('delayed');
    await queued.remove();

    await waitFor(() => stack.worker!.get(ReconcileTimer).runPass(), { what: 'a reconcile pass that ran' });
    const again = await queue.getJob(jobId);
    expect({ state: await again?.getState(), data: again?.data }).toEqual({ state: 'delayed', data: { callId: opened.id, closesAt, correlationId: `reconcile:${jobId}` } });
    // Due at the call's closing time, not before.
    expect(Math.abs(again!.timestamp + again!.delay - Date.parse(closesAt))).toBeLessThan(5_000);
    const metric = await stack.worker!.get(MetricsRegistry).getSingleMetricAsString('reconciled_jobs_total');
    expect(metric).toMatch(/reconciled_jobs_total\{kind="call-closing"\} 1/);
    // The API's metrics count the queue's jobs: this one, delayed.
    const scraped = await stack.http.get('/metrics').expect(200);
    expect(scraped.text).toMatch(/queue_jobs\{queue="call-closing",state="delayed"\} [1-9]\d*/);
  });

  it('is closed at its time by the sweep when its job is lost, still once', async () => {
    const queue = stack.worker!.get<Queue>(getQueueToken(CALL_CLOSING_QUEUE), { strict: false });
    // No closing job runs meanwhile, even one the reconciler might queue again: the sweep alone closes it.
    await queue.pause();
    try {
      const opened = await openCall({ opensAt: inSeconds(-5), closesAt: inSeconds(2) });
      const { closesAt } = (await stack.http.get(`/api/calls/${opened.id}`).set(staff).set('X-Min-Position', String(opened.position)).expect(200)).body;
      const job = await waitFor(() => queue.getJob(callClosingJobId(opened.id, closesAt)), { timeoutMs: 30_000, what: 'the closing job queued' });
      await job.remove();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(closesAt) - Date.now()) + 50));

      // Past its time it reads closed and takes no proposal, though nothing has recorded it yet.
      expect((await stack.http.get(`/api/calls/${opened.id}`).set(staff).expect(200)).body).toMatchObject({ status: 'closed', closedAt: null, closedBy: null });
      const late = await draft(first.headers, { callId: opened.id });
      expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'call_closed' });
      expect(await audit(opened.id)).toHaveLength(1);

      const timer = stack.worker!.get(CallClosingTimer);
      expect(await timer.runPass()).toEqual({ closed: 1 });
      expect(await timer.runPass()).toEqual({ closed: 0 });
      const events = await audit(opened.id);
      expect(events.map((e) => [e.type, e.data.by ?? null, e.metadata.actor])).toEqual([
        ['CallOpened', null, expect.any(String)],
        ['CallClosed', 'deadline', 'call-closing'],
      ]);
      expect(events[1].data.closedAt).toBe(closesAt);
    } finally {
      await queue.resume();
    }
  });
});
