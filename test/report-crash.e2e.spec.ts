import { Queue } from 'bullmq';
import { Client } from 'pg';
import { queueConnection } from '@passerelle/platform';
import { REPORT_QUEUE } from '@passerelle/reporting';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { type AppProcess, runApp } from './support/processes';
import { queryRows } from './support/sql';
import { type Stack, startStack, tokenIn } from './support/stack';

/** Five participating countries, each with a ministry contact: country i has i + 2 invited, i + 1 accepting. */
const CONTACTS: Record<string, { ministryName: string; email: string; language: string }> = {
  BR: { ministryName: 'Ministério da Ciência, Tecnologia e Inovação', email: 'ia@mcti.gov.br', language: 'fr' },
  EG: { ministryName: 'Ministry of Communications and Information Technology', email: 'ai@mcit.gov.eg', language: 'fr' },
  ID: { ministryName: 'Ministry of Communication and Digital Affairs', email: 'ai@komdigi.go.id', language: 'en' },
  PK: { ministryName: 'Ministry of IT and Telecommunication', email: 'ai@moitt.gov.pk', language: 'en' },
  ZM: { ministryName: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' },
};
const COUNTRIES = Object.keys(CONTACTS);
const MINISTRY_EMAILS = new Set(Object.values(CONTACTS).map((c) => c.email));

const people = COUNTRIES.flatMap((country, i) =>
  Array.from({ length: i + 2 }, (_, n) => ({
    fullName: `Delegate ${n} ${country}`,
    email: `d${n}@delegation-${country.toLowerCase()}.gov.test`,
    country,
    organization: `Ministry of Digital Affairs (${country})`,
    language: 'en',
    accepts: n < i + 1,
  })),
);

/**
 * The worker (its own process) is killed with SIGKILL twice while it handles a concluded workshop's
 * report, and started again each time:
 *
 * 1. while the report job is active and compiling, before ReportCompiled is committed: the test holds a
 *    lock on report_files that the compiling transaction's first insert waits for. This proves an
 *    interrupted compilation is redone and recorded once (the files and the event are one transaction).
 * 2. once the first ministry e-mail has arrived whole at the SMTP server, whose answer to it is held
 *    back until the kill: the worker cannot have recorded ReportDeliverySent for it, so the restarted job
 *    meets that country's key in the mail ledger and records it sent without a second e-mail, and sends
 *    the others once.
 *
 * In the end, after every report job has run (including the ones the dead workers held, handed over
 * once their locks lapsed): one ReportCompiled, one e-mail per ministry, every delivery sent.
 */
describe('post-workshop reports when the worker crashes', () => {
  let stack: Stack;
  let queue: Queue;
  const workers: AppProcess[] = [];
  /** The SMTP server keeps its answer to the first ministry e-mail back until this is called. */
  let answerFirstMinistryMail: () => void = () => undefined;
  const firstMinistryAnswer = new Promise<void>((resolve) => (answerFirstMinistryMail = resolve));
  let holding = false;

  beforeAll(async () => {
    stack = await startStack('report_crash', {
      worker: false,
      smtp: {
        holdAnswer: (mail) => {
          if (holding || !mail.envelopeTo.some((to) => MINISTRY_EMAILS.has(to))) return undefined;
          holding = true;
          return firstMinistryAnswer;
        },
      },
    });
    const { connection, prefix } = queueConnection(TEST_REDIS_URL, new URL(stack.db.url).pathname.slice(1));
    queue = new Queue(REPORT_QUEUE, { connection, prefix });
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    answerFirstMinistryMail();
    await queue?.close();
    await stack?.close();
  });

  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => queryRows<T>(stack.db.url, text, values);

  const reportEvents = async (workshopId: string) =>
    (await sql<{ type: string; country: string | null }>("SELECT type, data->>'country' AS country FROM events WHERE stream_id = $1 ORDER BY position", [`report-${workshopId}`])).map(
      (e) => (e.country ? `${e.type}:${e.country}` : e.type),
    );
  /** Backends of this test's database waiting for a lock on report_files. */
  const waitingForReportFiles = async () =>
    (
      await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND c.relname = 'report_files' AND NOT l.granted`,
      )
    )[0].n;
  const ministryMails = () => stack.smtp.received.filter((m) => m.envelopeTo.some((to) => MINISTRY_EMAILS.has(to)));

  function startWorker(): AppProcess {
    const worker = runApp('worker', {
      DATABASE_URL: stack.db.url,
      SMTP_URL: stack.env.SMTP_URL,
      APP_BASE_URL: stack.env.APP_BASE_URL,
      QUEUE_PREFIX: new URL(stack.db.url).pathname.slice(1),
      MAIL_RETRY_DELAY_MS: stack.env.MAIL_RETRY_DELAY_MS,
      MAIL_ATTEMPTS: stack.env.MAIL_ATTEMPTS,
    });
    workers.push(worker);
    return worker;
  }

  async function kill(worker: AppProcess): Promise<void> {
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
  }

  it('compiles once and e-mails each ministry once across two SIGKILLs', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'AI for public services', hostInstitution: 'Shanghai AI Research Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-10-23', endsOn: '2030-10-25', themes: ['healthcare'] })
      .expect(201);
    const id = created.body.id as string;
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    for (const [country, contact] of Object.entries(CONTACTS)) await stack.http.put(`/api/ministries/${country}`).set(auth).send(contact).expect(200);

    let worker = startWorker();
    await stack.http
      .post(`/api/workshops/${id}/invitations`)
      .set(auth)
      .send({ participants: people.map(({ accepts: _a, ...p }) => p) })
      .expect(202);
    await waitFor(() => people.every((p) => stack.smtp.to(p.email).length === 1), { timeoutMs: 60_000, what: `the invitations (${worker.output()})` });
    for (const person of people.filter((p) => p.accepts)) {
      await stack.http.post(`/api/rsvp/${tokenIn(stack.smtp.to(person.email)[0].parsed.text ?? '')}`).send({ response: 'accept' }).expect(200);
    }
    await stack.http.post(`/api/workshops/${id}/start`).set(auth).expect(200);

    // Kill 1: the report job active, its compiling transaction waiting for the lock held here.
    const locker = new Client({ connectionString: stack.db.url });
    await locker.connect();
    let activeAtKill1 = 0;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE report_files IN SHARE MODE');
      await stack.http.post(`/api/workshops/${id}/conclude`).set(auth).expect(202);
      await waitFor(
        async () => {
          activeAtKill1 = (await queue.getJobCounts('active')).active;
          return activeAtKill1 > 0 && (await waitingForReportFiles()) > 0;
        },
        { timeoutMs: 60_000, intervalMs: 20, what: `the report job active and compiling (${worker.output()})` },
      );
      await kill(worker);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(activeAtKill1).toBe(1);
    expect(await reportEvents(id)).toEqual([]);
    expect(ministryMails()).toHaveLength(0);

    // Kill 2: the first ministry e-mail received whole, its answer held back (the dead worker's job is
    // handed over once its lock lapses).
    worker = startWorker();
    await waitFor(() => ministryMails().length > 0, { timeoutMs: 100_000, intervalMs: 5, what: `the first ministry e-mail (${worker.output()})` });
    await kill(worker);
    answerFirstMinistryMail();
    const mailedAtKill2 = ministryMails().map((m) => m.envelopeTo[0]);
    expect(mailedAtKill2).toHaveLength(1);
    const country = COUNTRIES.find((c) => CONTACTS[c].email === mailedAtKill2[0])!;
    const atKill2 = await reportEvents(id);
    expect(atKill2.filter((t) => t === 'ReportCompiled')).toHaveLength(1);
    expect(atKill2).toContain(`ReportDeliveryQueued:${country}`);
    expect(atKill2).not.toContain(`ReportDeliverySent:${country}`);
    // Its key was committed with the final ".": the restarted job finds it there and sends nothing again.
    expect(await sql('SELECT status FROM mail_ledger WHERE key = $1', [`report:${id}:${country}`])).toEqual([{ status: 'sent' }]);

    worker = startWorker();
    const report = await waitFor(
      async () => {
        const body = (await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
        return body.status === 'sent' ? body : null;
      },
      { timeoutMs: 100_000, intervalMs: 200, what: `every delivery sent (${worker.output()})` },
    );
    // Every report job run to its end, the ones held by the killed workers included: none left to send anything late.
    await waitFor(
      async () => {
        const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'waiting-children');
        return Object.values(counts).every((n) => n === 0);
      },
      { timeoutMs: 100_000, intervalMs: 200, what: `the report queue to drain (${worker.output()})` },
    );
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });

    const compiled = await sql<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type = 'ReportCompiled' AND stream_id = $1", [`report-${id}`]);
    expect(compiled[0].n).toBe(1);
    expect(ministryMails()).toHaveLength(COUNTRIES.length);
    for (const contact of Object.values(CONTACTS)) expect(stack.smtp.to(contact.email)).toHaveLength(1);
    expect(report.deliveries).toHaveLength(COUNTRIES.length);
    for (const country of COUNTRIES) {
      const contact = CONTACTS[country];
      expect(report.deliveries.find((d: { country: string }) => d.country === country)).toMatchObject({
        status: 'sent',
        ministry: contact.ministryName,
        email: contact.email,
        language: contact.language,
        sentAt: expect.any(String),
      });
    }
    const final = (await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body;
    expect(final.deliveries.every((d: { status: string }) => d.status === 'sent')).toBe(true);
    expect((await reportEvents(id)).filter((t) => t === `ReportDeliverySent:${country}`)).toHaveLength(1);
  }, 360_000);
});
