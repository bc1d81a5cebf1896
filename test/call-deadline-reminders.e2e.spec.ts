import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { callDeadlineReminderId, CallDeadlineReminderSource } from '@passerelle/calls';
import { queueConnection } from '@passerelle/platform';
import { type DueReminder, REMINDER_SWEEPS_QUEUE, REMINDERS_QUEUE } from '@passerelle/reminders';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { activationToken, bearer, type Headers, partnerInstitution } from './support/callers';
import { FileClock, setFileClock } from './support/file-clock';
import { type Stack, startStack } from './support/stack';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STAFF = { email: 'noor.deadline@institute.test', fullName: 'Noor Deadline', password: 'staff-password-Hq4$mR9w' };
const FRENCH = { fullName: 'Aminata Diallo', email: 'aminata.diallo@ucad.test', language: 'fr' };
const PROPOSAL = { summary: 'Remote consultations for district hospitals.', sectors: ['health'], countries: ['ZM'], durationMonths: 12 };

/**
 * Call-deadline reminders through the reminder engine, on a test clock (a file the worker reads its
 * time from; the API keeps the real time, in which the calls stay open): 7 days and 1 day before a call
 * closes, to the contacts of each institution whose proposals to it are still unsubmitted, in their
 * language; nothing to an institution that submitted, nothing for a call closed early, nothing twice.
 */
describe('call-deadline reminders (the reminder engine, a test clock)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadline-clock-'));
  const clockFile = path.join(dir, 'now');
  const start = Date.now();
  let stack: Stack;
  let sweeps: Queue;
  let reminders: Queue<DueReminder>;
  let staff: Headers;
  let french: { id: string; headers: Headers };
  let submitter: { id: string; headers: Headers };
  let late: { id: string; headers: Headers };

  beforeAll(async () => {
    setFileClock(clockFile, start);
    stack = await startStack('call_deadlines', {
      env: { REMINDER_CHECK_INTERVAL_SECONDS: '1', RECONCILE_INTERVAL_SECONDS: '1' },
      workerClock: new FileClock(clockFile),
    });
    const { connection, prefix } = queueConnection(TEST_REDIS_URL, new URL(stack.db.url).pathname.slice(1));
    sweeps = new Queue(REMINDER_SWEEPS_QUEUE, { connection, prefix });
    reminders = new Queue(REMINDERS_QUEUE, { connection, prefix });
    const admin = bearer(stack.token);
    await stack.http.post('/api/staff').set(admin).send(STAFF).expect(201);
    staff = bearer((await stack.http.post('/api/auth/login').send({ email: STAFF.email, password: STAFF.password }).expect(200)).body.accessToken);
    const registered = await stack.http.post('/api/partner-institutions').set(admin).send({ name: 'Université Cheikh Anta Diop', country: 'SN', contact: FRENCH }).expect(201);
    await stack.http.post('/api/auth/activate').send({ token: await activationToken(stack, FRENCH.email), password: 'partner-password-Tz6!pW2m' }).expect(200);
    const login = await stack.http.post('/api/auth/login').send({ email: FRENCH.email, password: 'partner-password-Tz6!pW2m' }).expect(200);
    french = { id: registered.body.id, headers: bearer(login.body.accessToken) };
    submitter = await partnerInstitution(stack, 'University of Zambia', { fullName: 'Lindiwe Banda', email: 'l.banda@unza.test' });
    late = await partnerInstitution(stack, 'Universitas Indonesia', { fullName: 'Siti Rahma', email: 's.rahma@ui.test' });
  });

  afterAll(async () => {
    await sweeps?.close();
    await reminders?.close();
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deadlineMails = () => stack.smtp.received.filter((m) => /closes on|se clôt le/.test(m.parsed.subject ?? ''));

  /** Two more sweeps have run since now, and nothing waits or runs on the reminders queue. */
  async function settle(): Promise<void> {
    const runs = async () => (await sweeps.getJobCounts('completed')).completed;
    const before = await runs();
    await waitFor(async () => (await runs()) >= before + 2, { timeoutMs: 20_000, what: 'two sweeps' });
    await waitFor(async () => Object.values(await reminders.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).every((n) => n === 0), {
      timeoutMs: 20_000,
      what: 'the reminders queue idle',
    });
  }

  /** Moves the worker's clock to `start + offset` and waits until `total` deadline reminders were sent in all, and no more. */
  async function moveTo(offset: number, total: number): Promise<void> {
    setFileClock(clockFile, start + offset);
    await waitFor(() => deadlineMails().length >= total, { timeoutMs: 30_000, what: `${total} deadline reminders` });
    await settle();
    expect(deadlineMails()).toHaveLength(total);
  }

  const openCall = async (title: string, closesAt: number) =>
    (
      await stack.http
        .post('/api/calls')
        .set(staff)
        .send({ title, summary: 'Proposals on digital health.', sectors: ['health'], countries: ['ZM', 'SN'], opensAt: new Date(start - HOUR).toISOString(), closesAt: new Date(closesAt).toISOString() })
        .expect(201)
    ).body.id as string;
  const draft = async (as: Headers, title: string, callId?: string) =>
    (await stack.http.post('/api/proposals').set(as).send({ ...PROPOSAL, title, ...(callId ? { callId } : {}) }).expect(201)).body as { id: string; position: number };

  it('reminds institutions with unsubmitted proposals 7 days and 1 day before the call closes, once, in their language', async () => {
    const closesAt = start + 8 * DAY;
    const callId = await openCall('Digital health 2031', closesAt);
    const closedEarly = await openCall('Rural connectivity', start + 5 * DAY);
    await draft(french.headers, 'Télémédecine au Sénégal', callId);
    await draft(french.headers, 'A proposal to no call');
    await draft(french.headers, 'Connectivité rurale', closedEarly);
    const submitted = await draft(submitter.headers, 'Hospital records', callId);
    await stack.http.post(`/api/proposals/${submitted.id}/submit`).set(submitter.headers).expect(200);
    const lateDraft = await draft(late.headers, 'Clinic scheduling', callId);
    await stack.http.post(`/api/calls/${closedEarly}/close`).set(staff).send({ reason: 'Budget reallocated' }).expect(200);
    await settle();
    expect(deadlineMails()).toHaveLength(0);

    // 7 days less an hour before closing: the 7-day reminder to the two institutions with drafts; the call closed early reminds no one.
    await moveTo(DAY + HOUR, 2);
    const [toFrench] = stack.smtp.to(FRENCH.email).filter((m) => /se clôt le/.test(m.parsed.subject ?? ''));
    expect(toFrench.parsed.subject).toContain('« Digital health 2031 »');
    expect(toFrench.parsed.text).toContain('Télémédecine au Sénégal');
    expect(toFrench.parsed.text).not.toContain('A proposal to no call');
    expect(toFrench.parsed.text).toContain('UTC');
    expect(toFrench.parsed.html).toContain('lang="fr"');
    const [toLate] = stack.smtp.to('s.rahma@ui.test').filter((m) => /closes on/.test(m.parsed.subject ?? ''));
    expect(toLate.parsed.subject).toBe(`The call for proposals "Digital health 2031" closes on ${new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(closesAt))} UTC`);
    expect(stack.smtp.to('l.banda@unza.test').filter((m) => /closes on/.test(m.parsed.subject ?? ''))).toHaveLength(0);

    // The late institution submits: its 1-day reminder is no longer due, even for a job queued before.
    const submittedLate = await stack.http.post(`/api/proposals/${lateDraft.id}/submit`).set(late.headers).expect(200);
    await stack.http.get(`/api/proposals/${lateDraft.id}`).set(staff).set('X-Min-Position', String(submittedLate.body.position)).expect(200);
    const source = stack.worker!.get(CallDeadlineReminderSource);
    const closing = new Date(closesAt).toISOString();
    const lateOneDay: DueReminder = {
      kind: 'call-deadline',
      reminderId: callDeadlineReminderId(callId, late.id, closing, 1),
      subjectId: callId,
      dueOn: '',
      details: { callId, institutionId: late.id, closesAt: closing, daysBefore: 1 },
    };
    expect(await source.stillDue(lateOneDay, start + 7 * DAY + 12 * HOUR)).toBe(false);

    await moveTo(3 * DAY, 2);
    // 23 hours before closing: the 1-day reminder, to the one institution whose draft is still a draft.
    await moveTo(7 * DAY + HOUR, 3);
    expect(stack.smtp.to(FRENCH.email).filter((m) => /se clôt le/.test(m.parsed.subject ?? ''))).toHaveLength(2);
    // Closed: nothing more.
    await moveTo(8 * DAY + HOUR, 3);

    const jobs = await reminders.getJobs(['completed']);
    const ids = jobs.filter((job) => job.data.kind === 'call-deadline').map((job) => job.id).sort();
    expect(ids).toEqual(
      [callDeadlineReminderId(callId, french.id, closing, 7), callDeadlineReminderId(callId, late.id, closing, 7), callDeadlineReminderId(callId, french.id, closing, 1)].sort(),
    );
    // Each recorded once on the call, as the audit shows.
    const audit = (await stack.http.get(`/api/audit/call/${callId}`).set(bearer(stack.token)).expect(200)).body as { type: string; data: Record<string, unknown> }[];
    const sent = audit.filter((event) => event.type === 'CallDeadlineReminderSent').map((event) => `${event.data.institutionId}:${event.data.daysBefore}`);
    expect(sent.sort()).toEqual([`${french.id}:1`, `${french.id}:7`, `${late.id}:7`].sort());
  });
});
