import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { INVITATION_MAIL_QUEUE } from '@passerelle/invitations';
import { queueConnection } from '@passerelle/platform';
import { freePort, waitFor } from '@passerelle/testing';
import { OwnRedis } from './support/own-redis';
import { type AppProcess, runApp } from './support/processes';
import { type Stack, startStack } from './support/stack';

/**
 * Two worker processes, each reconciling every second, against a Redis of this test's own that loses
 * everything (FLUSHALL) while 20 mail jobs wait for the mail server: one e-mail per invitation.
 */
describe('two worker processes reconciling at the same time', () => {
  let redis: OwnRedis;
  let stack: Stack;
  let mail: Queue;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    redis = await new OwnRedis(await freePort()).start();
    stack = await startStack('reconcile_two', { worker: false, env: { REDIS_URL: redis.url } });
    const { connection, prefix } = queueConnection(redis.url, new URL(stack.db.url).pathname.slice(1));
    mail = new Queue(INVITATION_MAIL_QUEUE, { connection, prefix });
  });

  afterAll(async () => {
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
    }
    await mail?.close();
    await stack?.close();
    await redis?.kill();
  });

  function startWorker(): AppProcess {
    const worker = runApp('worker', {
      DATABASE_URL: stack.db.url,
      REDIS_URL: redis.url,
      SMTP_URL: stack.env.SMTP_URL,
      APP_BASE_URL: stack.env.APP_BASE_URL,
      QUEUE_PREFIX: new URL(stack.db.url).pathname.slice(1),
      // Long enough that no job is being retried when Redis is flushed: a retry under way at that
      // instant may reach the mail server once it is back, and need no reconciling.
      MAIL_RETRY_DELAY_MS: '10000',
      MAIL_ATTEMPTS: '20',
      RECONCILE_INTERVAL_SECONDS: '1',
    });
    workers.push(worker);
    return worker;
  }

  async function emailed(workshopId: string): Promise<number> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      return (await client.query("SELECT count(*)::int AS n FROM invitations WHERE workshop_id = $1 AND status = 'emailed'", [workshopId])).rows[0].n;
    } finally {
      await client.end();
    }
  }

  /** The reconciler's findings of missing mail jobs, from the JSON log lines of both processes. */
  function findings(): string[] {
    return workers
      .flatMap((worker) => worker.output().split('\n'))
      // A line still arriving is left for the next read.
      .filter((text) => text.startsWith('{') && text.endsWith('}'))
      .map((text) => JSON.parse(text) as { context?: string; kind?: string; id?: string })
      .filter((line) => line.context === 'Reconciler' && line.kind === 'invitation-mail')
      .map((line) => line.id!);
  }

  it('sends one e-mail per lost invitation job, and finds each missing job once across both processes', async () => {
    await stack.smtp.stop();
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Green development', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-06-01', endsOn: '2030-06-02', themes: ['green development'] })
      .expect(201);
    const workshopId = created.body.id;
    await stack.http.post(`/api/workshops/${workshopId}/open-registration`).set(auth).expect(200);
    const participants = Array.from({ length: 20 }, (_, i) => ({ fullName: `P ${i}`, email: `two${i}@ministry.gov.test`, country: 'ZM', organization: 'Ministry', language: 'en' }));
    const invited = await stack.http.post(`/api/workshops/${workshopId}/invitations`).set(auth).send({ participants }).expect(202);
    const invitationIds: string[] = invited.body.items.map((item: { id: string }) => item.id);

    startWorker();
    startWorker();
    const output = () => workers.map((worker) => worker.output()).join('\n');
    await waitFor(async () => {
      const delayed = await mail.getJobs(['delayed']);
      return delayed.length === 20 && delayed.every((job) => job.attemptsMade >= 1);
    }, { timeoutMs: 60_000, intervalMs: 50, what: `the 20 mail jobs delayed after failed attempts (${output()})` });
    expect(findings()).toEqual([]);

    const admin = new Redis(redis.url);
    try {
      await admin.flushall();
    } finally {
      admin.disconnect();
    }
    await stack.smtp.start();

    await waitFor(async () => (await emailed(workshopId)) === 20, { timeoutMs: 60_000, intervalMs: 100, what: `all 20 recorded as e-mailed (${output()})` });
    await waitFor(async () => (await mail.getJobs(['delayed', 'waiting', 'active', 'prioritized'])).length === 0, { timeoutMs: 30_000, what: 'no mail job left' });
    const recipients = stack.smtp.received.map((m) => m.envelopeTo[0]);
    expect(recipients).toHaveLength(20);
    expect(new Set(recipients).size).toBe(20);
    const found = findings();
    expect(found.sort()).toEqual([...invitationIds].sort());
    // Both took part to the end: neither stopped on the lost data.
    expect(workers.map((worker) => worker.child.exitCode ?? worker.child.signalCode)).toEqual([null, null]);
  });
});
