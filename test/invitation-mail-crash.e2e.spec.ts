import { Queue } from 'bullmq';
import { Client } from 'pg';
import { queueConnection } from '@passerelle/platform';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { type AppProcess, runApp } from './support/processes';
import { type Stack, startStack } from './support/stack';

/**
 * The worker is killed with SIGKILL while it sends 500 invitations, then started again: in the end the
 * SMTP server holds exactly one e-mail per invitation, and every invitation is recorded as e-mailed.
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

  async function emailedCount(): Promise<number> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      return (await client.query("SELECT count(*)::int AS n FROM invitations WHERE status = 'emailed'")).rows[0].n;
    } finally {
      await client.end();
    }
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

  it('sends exactly one e-mail per invitation across a SIGKILL', async () => {
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
    expect(recipients).toHaveLength(500);
    expect(new Set(recipients).size).toBe(500);
  });
});
