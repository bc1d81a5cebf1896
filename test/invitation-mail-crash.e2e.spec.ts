import { Queue } from 'bullmq';
import { Client } from 'pg';
import { queueConnection } from '@passerelle/platform';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { type AppProcess, runApp } from './support/processes';
import { type Stack, startStack } from './support/stack';

/**
 * The worker is killed with SIGKILL while it sends 500 invitations, then started again: in the end no
 * participant has two e-mails, every invitation is recorded as e-mailed, and every e-mail arrived except,
 * at most, those whose ledger row the killed worker had committed in the instant before its final "."
 * (OnceMailer's documented window: at most once, never twice). Such an e-mail is told apart from a lost
 * one by its ledger row, read right after the kill, before the second worker starts.
 */
describe('invitation e-mails when the worker crashes', () => {
  let stack: Stack;
  let queue: Queue;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    stack = await startStack('mail_crash', { worker: false });
    const { connection, prefix } = queueConnection(TEST_REDIS_URL, new URL(stack.db.url).pathname.slice(1));
    queue = new Queue('invitation-mail', { connection, prefix });
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await queue?.close();
    await stack?.close();
  });

  async function query<T>(sql: string): Promise<T[]> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  async function emailedCount(): Promise<number> {
    return (await query<{ n: number }>("SELECT count(*)::int AS n FROM invitations WHERE status = 'emailed'"))[0].n;
  }

  function startWorker(): AppProcess {
    const worker = runApp('worker', {
      DATABASE_URL: stack.db.url,
      SMTP_URL: stack.env.SMTP_URL,
      APP_BASE_URL: stack.env.APP_BASE_URL,
      QUEUE_PREFIX: new URL(stack.db.url).pathname.slice(1),
      MAIL_RETRY_DELAY_MS: '100',
      MAIL_CONCURRENCY: '8',
    });
    workers.push(worker);
    return worker;
  }

  it('sends each invitation once across a SIGKILL, never twice, missing only mails cut off in the ledger-to-"." instant', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Data governance', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-05-10', endsOn: '2030-05-12', themes: ['governance'] })
      .expect(201);
    const id = created.body.id;
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    const participants = Array.from({ length: 500 }, (_, i) => ({
      fullName: `Official ${i}`,
      email: `official${i}@ministry.gov.test`,
      country: ['ID', 'PK', 'EG', 'ZM', 'BR', 'KZ'][i % 6],
      organization: 'Ministry',
      language: i % 2 ? 'fr' : 'en',
    }));
    await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants }).expect(202);

    const first = startWorker();
    await waitFor(() => stack.smtp.received.length >= 120, { timeoutMs: 60_000, intervalMs: 5, what: `120 e-mails before the kill (${first.output()})` });
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const atKill = stack.smtp.received.length;
    expect(atKill).toBeLessThan(500);
    const receivedAtKill = new Set(stack.smtp.received.map((mail) => mail.envelopeTo[0]));
    // Addresses whose ledger row the killed worker committed: sent, or cut off in the instant before the ".".
    const claimedAtKill = await query<{ email: string }>(
      "SELECT i.email FROM mail_ledger l JOIN invitations i ON l.key = 'invitation:' || i.id",
    );

    startWorker();
    await waitFor(async () => (await emailedCount()) === 500, { timeoutMs: 90_000, intervalMs: 200, what: 'all 500 invitations recorded as e-mailed' });
    await waitFor(
      async () => {
        const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'completed');
        return counts.active + counts.waiting + counts.delayed === 0 && counts.completed === 500;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the mail queue to drain' },
    );

    const recipients = stack.smtp.received.map((mail) => mail.envelopeTo[0]);
    expect(new Set(recipients).size).toBe(recipients.length); // never twice
    const missing = participants.map((p) => p.email).filter((email) => !recipients.includes(email));
    // Only the killed worker's last claims may be missing: none the second worker handled, at most one per concurrent send.
    const cutOff = claimedAtKill.map((row) => row.email).filter((email) => !receivedAtKill.has(email));
    expect(missing.every((email) => cutOff.includes(email))).toBe(true);
    expect(missing.length).toBeLessThanOrEqual(8);
    expect(recipients.length).toBe(500 - missing.length);
  });
});
