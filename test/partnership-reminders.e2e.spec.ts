import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { partnershipEndReminderId } from '@passerelle/partnerships';
import { queueConnection } from '@passerelle/platform';
import { type DueReminder, REMINDER_SWEEPS_QUEUE, REMINDERS_QUEUE } from '@passerelle/reminders';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { activationToken, bearer, declareNoConflict, type Headers, PROPOSAL } from './support/callers';
import { FileClock, setFileClock } from './support/file-clock';
import { type AppProcess, runWorkerWithFileClock } from './support/processes';
import { type Stack, startStack } from './support/stack';

const DAY = 86_400_000;
const CONTACT = { fullName: 'Aminata Diallo', email: 'aminata.diallo@ucad.test', language: 'fr' };
const STAFF = [
  { email: 'first.approver@programme.test', fullName: 'First Approver', password: 'staff-password-Lk3#vQ8r' },
  { email: 'second.approver@programme.test', fullName: 'Second Approver', password: 'staff-password-Pq7#wE2t' },
];
const RECIPIENTS = [CONTACT.email, ...STAFF.map((s) => s.email)];
const ENV = { APPROVALS_REQUIRED: '2', REMINDER_CHECK_INTERVAL_SECONDS: '1', RECONCILE_INTERVAL_SECONDS: '1' };

/** The UTC date `days` days after `from` (YYYY-MM-DD). */
const dateAfter = (from: string, days: number) => new Date(Date.parse(`${from}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
/** Noon (UTC) of that date: the moment the test clock is moved to. */
const noonOf = (date: string) => Date.parse(`${date}T12:00:00Z`);
const longFr = (date: string) => new Intl.DateTimeFormat('fr', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
const longEn = (date: string) => new Intl.DateTimeFormat('en', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

/** A stack, its test clock (a file the worker reads its time from) and the fixtures of this spec on it. */
class Programme {
  readonly sweeps: Queue;
  readonly reminders: Queue<DueReminder>;
  staff: Headers[] = [];
  partner: Headers = {};
  /** The test clock's date (UTC), set at its noon. */
  today = new Date().toISOString().slice(0, 10);

  constructor(
    readonly stack: Stack,
    readonly clockFile: string,
  ) {
    const { connection, prefix } = queueConnection(TEST_REDIS_URL, new URL(stack.db.url).pathname.slice(1));
    this.sweeps = new Queue(REMINDER_SWEEPS_QUEUE, { connection, prefix });
    this.reminders = new Queue(REMINDERS_QUEUE, { connection, prefix });
    setFileClock(clockFile, noonOf(this.today));
  }

  async close(): Promise<void> {
    await this.sweeps.close();
    await this.reminders.close();
  }

  /** Two staff members and an institution whose contact reads French, activated and logged in. */
  async setUp(): Promise<void> {
    const http = this.stack.http;
    for (const member of STAFF) {
      await http.post('/api/staff').set(bearer(this.stack.token)).send(member).expect(201);
      this.staff.push(bearer((await http.post('/api/auth/login').send({ email: member.email, password: member.password }).expect(200)).body.accessToken));
    }
    await http.post('/api/partner-institutions').set(bearer(this.stack.token)).send({ name: 'Université Cheikh Anta Diop', country: 'SN', contact: CONTACT }).expect(201);
    const token = await activationToken(this.stack, CONTACT.email);
    await http.post('/api/auth/activate').send({ token, password: 'partner-password-Tz6!pW2m' }).expect(200);
    this.partner = bearer((await http.post('/api/auth/login').send({ email: CONTACT.email, password: 'partner-password-Tz6!pW2m' }).expect(200)).body.accessToken);
  }

  /** A proposal titled `title`, approved by both staff members, become a partnership ending `endsOn` (PATCH term). */
  async partnership(title: string, endsOn: string): Promise<string> {
    const http = this.stack.http;
    const proposal = (await http.post('/api/proposals').set(this.partner).send({ ...PROPOSAL, title }).expect(201)).body.id as string;
    await http.post(`/api/proposals/${proposal}/submit`).set(this.partner).expect(200);
    for (const staff of this.staff) {
      await declareNoConflict(this.stack, proposal, staff);
      await http.post(`/api/proposals/${proposal}/approve`).set(staff).expect(200);
    }
    const id = await waitFor(
      async () => (await http.get('/api/partnerships?limit=500').set(this.staff[0])).body.items?.find((p: { proposalId: string }) => p.proposalId === proposal)?.id as string | undefined,
      { timeoutMs: 20_000, what: `the partnership of ${title}` },
    );
    const changed = await http.patch(`/api/partnerships/${id}/term`).set(this.staff[0]).send({ endsOn }).expect(200);
    await http.get(`/api/partnerships/${id}`).set(this.staff[0]).set('X-Min-Position', String(changed.body.position)).expect(200);
    return id;
  }

  async status(id: string): Promise<string> {
    return (await this.stack.http.get(`/api/partnerships/${id}`).set(this.staff[0]).expect(200)).body.status;
  }

  /** The end-of-term reminders `email` received about `title`, oldest first. */
  endings(email: string, title: string) {
    return this.stack.smtp.to(email).filter((m) => /prend fin le|ends on|Partnership ending/.test(m.parsed.subject ?? '') && (m.parsed.subject ?? '').includes(title));
  }

  /** Every end-of-term reminder sent, as `recipient title subject` lines. */
  allEndings(): string[] {
    return this.stack.smtp.received.filter((m) => /prend fin le|ends on|Partnership ending/.test(m.parsed.subject ?? '')).map((m) => `${m.envelopeTo.join(',')} ${m.parsed.subject}`);
  }

  /** Moves the worker's clock to noon of `today + days` (from the first day), then waits for two sweeps after it and for the reminders queue to be idle. */
  async moveTo(date: string, expectedEndings: number): Promise<void> {
    this.today = date;
    setFileClock(this.clockFile, noonOf(date));
    await waitFor(() => this.allEndings().length >= expectedEndings, { timeoutMs: 30_000, what: `${expectedEndings} end-of-term reminders by ${date}` });
    await this.settle();
    expect(this.allEndings()).toHaveLength(expectedEndings);
  }

  /** Two more sweeps run, and nothing waiting or running on the reminders queue. */
  async settle(): Promise<void> {
    const runs = async () => (await this.sweeps.getJobCounts('completed')).completed;
    const before = await runs();
    await waitFor(async () => (await runs()) >= before + 2, { timeoutMs: 20_000, what: 'two sweeps' });
    await waitFor(async () => {
      const counts = await this.reminders.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    }, { timeoutMs: 20_000, what: 'the reminders queue idle' });
  }

  /** The reminder jobs run for a partnership, by id, with what they came to. */
  async jobsOf(partnershipId: string): Promise<Record<string, unknown>> {
    const jobs = await this.reminders.getJobs(['completed']);
    return Object.fromEntries(jobs.filter((job) => job.data.subjectId === partnershipId).map((job) => [job.id, job.returnvalue]));
  }
}

describe('reminders of partnership ends (the reminder engine, a test clock)', () => {
  let stack: Stack;
  let programme: Programme;
  const dir = mkdtempSync(path.join(tmpdir(), 'reminders-clock-'));
  const clockFile = path.join(dir, 'now');

  beforeAll(async () => {
    stack = await startStack('partnership_reminders', { env: ENV, workerClock: new FileClock(clockFile) });
    programme = new Programme(stack, clockFile);
    await programme.setUp();
  });

  afterAll(async () => {
    await programme?.close();
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends three reminders, 60, 30 and 7 days before the end, in the contact language and to each approver; renewal plans them anew; expired on its end date', async () => {
    const first = programme.today;
    const end = dateAfter(first, 61);
    const kept = await programme.partnership('Fisheries data', end);
    const renewed = await programme.partnership('Coastal radar', end);

    // 61 days left: nothing yet, however often the sweep looks.
    await programme.settle();
    expect(programme.allEndings()).toEqual([]);

    // 60 days left: one reminder each, to the contact (in French) and to both approvers (in English).
    await programme.moveTo(dateAfter(first, 1), 6);
    const [contactMail] = programme.endings(CONTACT.email, 'Fisheries data');
    expect(contactMail.parsed.subject).toBe(`Votre partenariat « Fisheries data » prend fin le ${longFr(end)}`);
    expect(contactMail.parsed.text).toContain('dans 60 jours');
    expect(contactMail.parsed.text).toContain('Bonjour Aminata Diallo');
    for (const member of STAFF) {
      const [mail] = programme.endings(member.email, 'Fisheries data');
      expect(mail.parsed.subject).toBe(`Partnership ending: "Fisheries data" with Université Cheikh Anta Diop on ${longEn(end)}`);
      expect(mail.parsed.text).toContain(`Dear ${member.fullName}`);
    }
    expect(await programme.jobsOf(kept)).toEqual({ [partnershipEndReminderId(kept, end, 60)]: 'sent' });
    expect(partnershipEndReminderId(kept, end, 60)).toBe(`reminder.partnership-end.${kept}.${end}.60d`);

    // Renewed 30 days further after its first reminder: the next reminders follow the new end.
    const newEnd = dateAfter(end, 30);
    await stack.http.post(`/api/partnerships/${renewed}/renew`).set(programme.staff[1]).send({ endsOn: newEnd }).expect(200);

    // Days 2 to 30: nothing more (59 to 31 days left of the kept one, 89 to 61 of the renewed one).
    await programme.moveTo(dateAfter(first, 15), 6);
    await programme.moveTo(dateAfter(first, 30), 6);
    // 30 days left of the kept one; 60 days left of the renewed one's new end (none by its old end).
    await programme.moveTo(dateAfter(first, 31), 12);
    // Far past a milestone with none sent in between: one reminder, not a burst.
    await programme.moveTo(dateAfter(first, 58), 15);
    expect(programme.endings(CONTACT.email, 'Fisheries data')[2].parsed.text).toContain('dans 3 jours');
    // The day before its end date: still active, no reminder.
    await programme.moveTo(dateAfter(end, -1), 15);
    expect(await programme.status(kept)).toBe('active');
    // Its end date (0 days left): expired by itself, and no reminder; the renewed one has 30 days left.
    await programme.moveTo(end, 18);
    await waitFor(async () => (await programme.status(kept)) === 'expired', { timeoutMs: 20_000, what: 'the expiry' });
    await programme.moveTo(dateAfter(newEnd, -7), 21);
    await programme.moveTo(dateAfter(newEnd, 1), 21);

    for (const email of RECIPIENTS) {
      expect(programme.endings(email, 'Fisheries data')).toHaveLength(3);
      // The renewed one: the first by the old end, then three by the new end.
      const coastal = programme.endings(email, 'Coastal radar').map((m) => m.parsed.subject ?? '');
      expect(coastal).toHaveLength(4);
      const oldEnd = email === CONTACT.email ? longFr(end) : longEn(end);
      const later = email === CONTACT.email ? longFr(newEnd) : longEn(newEnd);
      expect(coastal[0].endsWith(oldEnd)).toBe(true);
      for (const subject of coastal.slice(1)) expect(subject.endsWith(later)).toBe(true);
    }
    expect(programme.endings(CONTACT.email, 'Fisheries data').map((m) => /dans (\d+) jours/.exec(m.parsed.text ?? '')![1])).toEqual(['60', '30', '3']);
    expect(Object.keys(await programme.jobsOf(kept)).sort()).toEqual([60, 30, 7].map((d) => partnershipEndReminderId(kept, end, d)).sort());
    expect(Object.keys(await programme.jobsOf(renewed)).sort()).toEqual(
      [partnershipEndReminderId(renewed, end, 60), ...[60, 30, 7].map((d) => partnershipEndReminderId(renewed, newEnd, d))].sort(),
    );
    expect(await programme.status(renewed)).toBe('expired');
  });

  it('sends nothing for a reminder queued before its end moved: no longer due', async () => {
    // The reminders queue paused: the sweep queues the 60-day reminder, which waits while the partnership is renewed.
    await programme.reminders.pause();
    const end = dateAfter(programme.today, 45);
    const id = await programme.partnership('Moved end', end);
    const reminderId = partnershipEndReminderId(id, end, 60);
    await waitFor(() => programme.reminders.getJob(reminderId), { timeoutMs: 20_000, what: 'the reminder queued by a sweep' });
    const renewal = await stack.http.post(`/api/partnerships/${id}/renew`).set(programme.staff[0]).send({ endsOn: dateAfter(end, 100) }).expect(200);
    await stack.http.get(`/api/partnerships/${id}`).set(programme.staff[0]).set('X-Min-Position', String(renewal.body.position)).expect(200);
    await programme.reminders.resume();
    const job = await waitFor(async () => {
      const found = await programme.reminders.getJob(reminderId);
      return found?.finishedOn ? found : null;
    }, { timeoutMs: 20_000, what: 'the queued reminder run' });
    expect(job.returnvalue).toBe('no longer due');
    await programme.settle();
    expect(programme.endings(CONTACT.email, 'Moved end')).toEqual([]);
  });
});

describe('reminders of partnership ends with two worker processes', () => {
  let stack: Stack;
  let programme: Programme;
  const workers: AppProcess[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'reminders-clock-'));
  const clockFile = path.join(dir, 'now');

  beforeAll(async () => {
    stack = await startStack('partnership_reminders_two', { env: ENV, worker: false });
    programme = new Programme(stack, clockFile);
    for (let i = 0; i < 2; i++) {
      workers.push(
        runWorkerWithFileClock(clockFile, {
          ...ENV,
          DATABASE_URL: stack.db.url,
          SMTP_URL: stack.env.SMTP_URL,
          APP_BASE_URL: stack.env.APP_BASE_URL,
          QUEUE_PREFIX: new URL(stack.db.url).pathname.slice(1),
          MAIL_RETRY_DELAY_MS: '100',
        }),
      );
    }
    await programme.setUp();
  });

  afterAll(async () => {
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
    }
    await programme?.close();
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each reminder once though both sweep every second', async () => {
    const first = programme.today;
    const end = dateAfter(first, 61);
    const id = await programme.partnership('Solar mapping', end);
    await programme.settle();
    for (const [day, total] of [[1, 3], [2, 3], [31, 6], [40, 6], [54, 9], [61, 9], [62, 9]] as const) await programme.moveTo(dateAfter(first, day), total);
    await waitFor(async () => (await programme.status(id)) === 'expired', { timeoutMs: 20_000, what: 'the expiry' });
    for (const email of RECIPIENTS) expect(programme.endings(email, 'Solar mapping')).toHaveLength(3);
    // Each e-mail under its own ledger key (reminder and recipient): none went out twice.
    const keys = stack.smtp.received.map((m) => String(m.parsed.headers.get('x-passerelle-key') ?? '')).filter((key) => key.startsWith('partnership-ending'));
    expect(keys).toHaveLength(9);
    expect(new Set(keys).size).toBe(9);
    // One job per reminder on the one queue, whichever process ran it.
    expect(Object.keys(await programme.jobsOf(id)).sort()).toEqual([60, 30, 7].map((d) => partnershipEndReminderId(id, end, d)).sort());
    for (const worker of workers) expect(worker.child.exitCode).toBeNull();
  });
});
