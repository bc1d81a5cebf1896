import { Queue } from 'bullmq';
import { Client } from 'pg';
import { queueConnection } from '@passerelle/platform';
import { LogLines, TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { type Stack, startStack } from './support/stack';

describe('invitation e-mails when the mail server fails', () => {
  let stack: Stack;
  let queue: Queue;
  const logs = new LogLines();

  beforeAll(async () => {
    stack = await startStack('mail_failures', { smtp: { refuseRecipient: (address) => (address.startsWith('unknown.') ? 550 : null) }, workerLogs: logs });
    const { connection, prefix } = queueConnection(TEST_REDIS_URL, new URL(stack.db.url).pathname.slice(1));
    queue = new Queue('invitation-mail', { connection, prefix });
  });

  afterAll(async () => {
    await queue?.close();
    await stack?.close();
  });

  async function statuses(workshopId: string): Promise<Record<string, number>> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      const rows = (await client.query('SELECT status, count(*)::int AS n FROM invitations WHERE workshop_id = $1 GROUP BY status', [workshopId])).rows;
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    } finally {
      await client.end();
    }
  }

  async function openWorkshop(): Promise<string> {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Green development', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-06-01', endsOn: '2030-06-02', themes: ['green development'] })
      .expect(201);
    await stack.http.post(`/api/workshops/${created.body.id}/open-registration`).set(auth).expect(200);
    return created.body.id;
  }

  const people = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({ fullName: `P ${i}`, email: `${prefix}${i}@ministry.gov.test`, country: 'ZM', organization: 'Ministry', language: 'en' }));

  it('retries while the mail server is down, saying so in the logs (ids, never addresses), and delivers every e-mail once when it is back', async () => {
    const server = `127.0.0.1:${stack.smtp.port}`;
    // Started with the mail server up: no warning.
    await waitFor(() => logs.of('SmtpStartCheck').length === 1, { what: 'the start check of the first worker' });
    expect(logs.of('SmtpStartCheck')[0]).toMatchObject({ level: 30, smtp: server });

    // Started with it down: one warning naming host:port, and the worker runs.
    await stack.stopWorker();
    await stack.smtp.stop();
    await stack.startWorker();
    const warning = await waitFor(() => logs.of('SmtpStartCheck').find((line) => line.level === 40), { what: 'the start warning' });
    expect(warning).toMatchObject({ smtp: server, reason: expect.stringContaining('ECONNREFUSED') });
    expect(warning.msg).toContain(`The mail server at ${server} (SMTP_URL) does not answer`);

    const id = await openWorkshop();
    const invited = await stack.http.post(`/api/workshops/${id}/invitations`).set({ Authorization: `Bearer ${stack.token}` }).send({ participants: people('down', 20) }).expect(202);
    const invitationIds: string[] = invited.body.items.map((item: { id: string }) => item.id);
    const contact = { fullName: 'Awa Diop', email: 'awa.diop.down@ucad.sn.test', language: 'fr' };
    await stack.http.post('/api/partner-institutions').set({ Authorization: `Bearer ${stack.token}` }).send({ name: 'Université Cheikh Anta Diop', country: 'SN', contact }).expect(201);
    await waitFor(
      async () => {
        const jobs = await queue.getJobs(['delayed', 'waiting', 'active']);
        return jobs.length === 20 && jobs.every((job) => job.attemptsMade >= 2);
      },
      { timeoutMs: 30_000, intervalMs: 50, what: 'every job to have failed at least twice while the server is down' },
    );
    expect(stack.smtp.received).toHaveLength(0);
    expect(await statuses(id)).toEqual({ issued: 20 });

    // Each failed attempt logged: which invitation, attempt n of N, when the next one is (MAIL_RETRY_DELAY_MS 100, doubling).
    const attempts = logs.of('MailAttempts');
    for (const invitationId of invitationIds) {
      const mine = attempts.filter((line) => line.invitationId === invitationId);
      expect(mine.find((line) => line.attempt === 1)).toMatchObject({
        level: 40,
        queue: 'invitation-mail',
        job: 'invitation',
        mail: `invitation:${invitationId}`,
        attempts: 20,
        nextAttemptInMs: 100,
        reason: expect.stringContaining('ECONNREFUSED'),
        msg: 'invitation-mail job "invitation" failed, attempt 1 of 20; next attempt in 100 ms',
      });
      expect(mine.find((line) => line.attempt === 2)).toMatchObject({ level: 40, nextAttemptInMs: 200 });
    }
    // The partner contact's activation e-mail too, named by the account it goes to.
    const activation = await waitFor(() => logs.of('MailAttempts').find((line) => line.queue === 'notification-mail'), { what: 'a failed activation e-mail logged' });
    expect(activation).toMatchObject({ job: 'account-activation', recipientUserId: expect.any(String), attempt: 1, attempts: 20 });
    expect(logs.text).not.toMatch(/down\d+@|ministry\.gov\.test|awa\.diop|Awa Diop/);

    await stack.smtp.start();
    await waitFor(async () => (await statuses(id)).emailed === 20, { timeoutMs: 30_000, intervalMs: 100, what: 'all 20 recorded as e-mailed' });
    const recipients = stack.smtp.received.filter((m) => m.envelopeTo[0].startsWith('down')).map((m) => m.envelopeTo[0]);
    expect(recipients).toHaveLength(20);
    expect(new Set(recipients).size).toBe(20);
    await waitFor(() => stack.smtp.to(contact.email).length === 1, { timeoutMs: 30_000, what: 'the activation e-mail sent once the server is back' });
  });

  it('marks an invitation bounced on a permanent refusal (5xx) and does not retry it', async () => {
    const id = await openWorkshop();
    await stack.http
      .post(`/api/workshops/${id}/invitations`)
      .set({ Authorization: `Bearer ${stack.token}` })
      .send({ participants: [...people('unknown.', 1), ...people('known', 1)] })
      .expect(202);
    await waitFor(async () => {
      const s = await statuses(id);
      return s.bounced === 1 && s.emailed === 1;
    }, { timeoutMs: 20_000, what: 'one bounced and one e-mailed' });
    await waitFor(async () => (await queue.getJobs(['delayed', 'waiting', 'active'])).length === 0, { what: 'no job left to retry' });
    expect(stack.smtp.recipientAttempts.get('unknown.0@ministry.gov.test')).toBe(1);
    const list = await stack.http.get(`/api/workshops/${id}/invitations?status=bounced`).set({ Authorization: `Bearer ${stack.token}` }).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ email: 'unknown.0@ministry.gov.test', status: 'bounced', bounceReason: expect.stringMatching(/550/) })]);
  });
});
