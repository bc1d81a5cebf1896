import type { Queue } from 'bullmq';
import { INVITATION_MAIL_QUEUE } from '@passerelle/invitations';
import { REMINDER_SWEEPS_QUEUE } from '@passerelle/reminders';
import { LogLines, waitFor } from '@passerelle/testing';
import type { OwnRedis } from './support/own-redis';
import { type OwnRedisStack, startStackWithOwnRedis } from './support/own-redis-stack';
import type { Stack } from './support/stack';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * Redis forgetting only part of its data: some mail jobs, or the reminders' job scheduler. The
 * reconciler (every second here) queues again only what is missing, and nobody gets an e-mail twice.
 */
describe('jobs Redis partly lost, queued again from the store', () => {
  let redis: OwnRedis;
  let stack: Stack;
  let mail: Queue;
  let schedule: Queue;
  const logs = new LogLines();

  let own: OwnRedisStack;

  beforeAll(async () => {
    own = await startStackWithOwnRedis('reconcile_partial', {
      env: { RECONCILE_INTERVAL_SECONDS: '1', REMINDER_DAYS_BEFORE: '7', REMINDER_CHECK_INTERVAL_SECONDS: '1' },
      workerLogs: logs,
    });
    ({ redis, stack } = own);
    mail = own.queue(INVITATION_MAIL_QUEUE);
    schedule = own.queue(REMINDER_SWEEPS_QUEUE);
  });

  afterAll(async () => {
    await own?.close();
  });

  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => own.sql<T>(text, values);

  async function emailed(workshopId: string): Promise<number> {
    const rows = await sql<{ n: number }>("SELECT count(*)::int AS n FROM invitations WHERE workshop_id = $1 AND status = 'emailed'", [workshopId]);
    return rows[0].n;
  }

  async function invite(prefix: string, count: number, startsOn: string): Promise<{ workshopId: string; invitationIds: string[] }> {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Smart health', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn, endsOn: startsOn, themes: ['healthcare'] })
      .expect(201);
    await stack.http.post(`/api/workshops/${created.body.id}/open-registration`).set(auth).expect(200);
    const participants = Array.from({ length: count }, (_, i) => ({ fullName: `P ${i}`, email: `${prefix}${i}@ministry.gov.test`, country: 'ZM', organization: 'Ministry', language: 'en' }));
    const invited = await stack.http.post(`/api/workshops/${created.body.id}/invitations`).set(auth).send({ participants }).expect(202);
    return { workshopId: created.body.id, invitationIds: invited.body.items.map((item: { id: string }) => item.id) };
  }

  const mailFindings = () => logs.of('Reconciler').filter((line) => line.kind === 'invitation-mail');

  it('queues again only the half of the delayed mail jobs Redis lost, and e-mails every invitation exactly once', async () => {
    await stack.smtp.stop();
    const { workshopId, invitationIds } = await invite('half', 20, '2030-06-01');
    await waitFor(async () => {
      const delayed = await mail.getJobs(['delayed']);
      return delayed.length === 20 && delayed.every((job) => job.attemptsMade >= 1);
    }, { timeoutMs: 30_000, intervalMs: 50, what: 'the 20 mail jobs delayed after failed attempts' });
    expect(mailFindings()).toEqual([]);

    // A random half lost. A job being retried at that instant is locked and cannot be removed: another is taken.
    const lost = new Set<string>();
    await waitFor(async () => {
      const delayed = (await mail.getJobs(['delayed'])).filter((job) => !lost.has(job.data.invitationId)).sort(() => Math.random() - 0.5);
      for (const job of delayed) {
        if (lost.size === 10) break;
        const invitationId = job.data.invitationId as string;
        if (await job.remove().then(() => true, () => false)) lost.add(invitationId);
      }
      return lost.size === 10;
    }, { timeoutMs: 10_000, intervalMs: 50, what: 'ten mail jobs removed' });
    expect((await mail.getJobs(['delayed', 'waiting', 'active', 'prioritized'])).length).toBeGreaterThanOrEqual(10);
    await stack.smtp.start();

    await waitFor(async () => (await emailed(workshopId)) === 20, { timeoutMs: 60_000, intervalMs: 100, what: 'all 20 recorded as e-mailed' });
    await waitFor(async () => (await mail.getJobs(['delayed', 'waiting', 'active', 'prioritized'])).length === 0, { timeoutMs: 30_000, what: 'no mail job left' });
    const recipients = stack.smtp.received.map((m) => m.envelopeTo[0]).filter((to) => to.startsWith('half'));
    expect(recipients).toHaveLength(20);
    expect(new Set(recipients).size).toBe(20);
    // Only the lost ones were found missing and queued again, each once.
    const found = mailFindings().map((line) => line.id as string);
    expect(new Set(found)).toEqual(lost);
    expect(found).toHaveLength(10);
    expect(invitationIds).toEqual(expect.arrayContaining([...lost]));
  });

  it('creates the deleted reminders scheduler again within an interval, which then sends a due reminder once', async () => {
    const { workshopId } = await invite('remind', 1, day(6));
    await waitFor(() => stack.smtp.to('remind0@ministry.gov.test').length === 1, { timeoutMs: 20_000, what: 'the invitation e-mailed' });

    const schedulerFindings = () => logs.of('Reconciler').filter((line) => line.kind === 'reminder-sweeps-scheduler').length;
    const before = schedulerFindings();
    // A pass may re-create it at any instant after the removal: the finding, logged once it is back, says it was missing.
    await schedule.removeJobScheduler('find-due-reminders');
    await waitFor(async () => schedulerFindings() === before + 1 && Boolean(await schedule.getJobScheduler('find-due-reminders')), {
      timeoutMs: 10_000,
      what: 'the scheduler found missing and back',
    });

    // As if invited two days ago: the scheduler created again finds the reminder due.
    await sql("UPDATE invitations SET issued_at = issued_at - interval '2 days' WHERE workshop_id = $1", [workshopId]);
    await waitFor(() => stack.smtp.to('remind0@ministry.gov.test').length === 2, { timeoutMs: 20_000, what: 'the reminder sent' });
    expect(stack.smtp.to('remind0@ministry.gov.test')[1].parsed.subject).toMatch(/^Reminder: Smart health/);
    await waitFor(async () => (await sql("SELECT 1 FROM invitations WHERE workshop_id = $1 AND reminded_at IS NOT NULL", [workshopId])).length === 1, {
      what: 'the reminder recorded',
    });

    // Later runs of the scheduler, and passes of the reconciler, send it no second time.
    const runs = async () => (await schedule.getJobCounts('completed')).completed;
    const recorded = await runs();
    await waitFor(async () => (await runs()) >= recorded + 2, { timeoutMs: 20_000, what: 'two more scheduled runs' });
    expect(stack.smtp.to('remind0@ministry.gov.test')).toHaveLength(2);
    expect(schedulerFindings()).toBe(before + 1);
  });
});
