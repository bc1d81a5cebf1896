import type { Queue } from 'bullmq';
import { Client } from 'pg';
import { DUE_INVITATION_MAILS_SQL, INVITATION_MAIL_QUEUE, invitationStream } from '@passerelle/invitations';
import { REMINDER_SWEEPS_QUEUE } from '@passerelle/reminders';
import { MetricsRegistry } from '@passerelle/platform';
import { LogLines, waitFor } from '@passerelle/testing';
import { ReconcileTimer } from '../apps/worker/src/reconcile/reconcile.timer';
import type { OwnRedis } from './support/own-redis';
import { type OwnRedisStack, startStackWithOwnRedis } from './support/own-redis-stack';
import type { Stack } from './support/stack';

/**
 * Redis may forget; the store never does. The worker runs on a Redis of this test's own, which is
 * SIGKILLed and started again empty; the reconciler (every second here) queues again what was lost.
 */
describe('jobs Redis lost, queued again from the store', () => {
  let redis: OwnRedis;
  let stack: Stack;
  let mail: Queue;
  let schedule: Queue;
  const logs = new LogLines();

  let own: OwnRedisStack;

  beforeAll(async () => {
    own = await startStackWithOwnRedis('reconcile', { env: { RECONCILE_INTERVAL_SECONDS: '1', MAIL_RETRY_DELAY_MS: '10000' }, workerLogs: logs });
    ({ redis, stack } = own);
    mail = own.queue(INVITATION_MAIL_QUEUE);
    schedule = own.queue(REMINDER_SWEEPS_QUEUE);
  });

  afterAll(async () => {
    await own?.close();
  });

  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => own.sql<T>(text, values);

  async function statuses(workshopId: string): Promise<Record<string, number>> {
    const rows = await sql<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM invitations WHERE workshop_id = $1 GROUP BY status', [workshopId]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  async function invite(prefix: string, count: number): Promise<{ workshopId: string; invitationIds: string[] }> {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Green development', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-06-01', endsOn: '2030-06-02', themes: ['green development'] })
      .expect(201);
    await stack.http.post(`/api/workshops/${created.body.id}/open-registration`).set(auth).expect(200);
    const participants = Array.from({ length: count }, (_, i) => ({ fullName: `P ${i}`, email: `${prefix}${i}@ministry.gov.test`, country: 'ZM', organization: 'Ministry', language: 'en' }));
    const invited = await stack.http.post(`/api/workshops/${created.body.id}/invitations`).set(auth).send({ participants }).expect(202);
    return { workshopId: created.body.id, invitationIds: invited.body.items.map((item: { id: string }) => item.id) };
  }

  const pending = async () => (await mail.getJobs(['delayed', 'waiting', 'active', 'prioritized'])).length;

  it('e-mails, exactly once each, 20 invitations whose delayed jobs were lost when Redis restarted empty, with no restart and no command', async () => {
    await stack.smtp.stop();
    const { workshopId, invitationIds } = await invite('lost', 20);
    await waitFor(async () => {
      const delayed = await mail.getJobs(['delayed']);
      return delayed.length === 20 && delayed.every((job) => job.attemptsMade >= 1);
    }, { timeoutMs: 30_000, intervalMs: 50, what: 'the 20 mail jobs delayed after failed attempts' });
    expect(await statuses(workshopId)).toEqual({ issued: 20 });
    // The pass at start, and those since, found nothing missing.
    expect(logs.of('Reconciler')).toEqual([]);

    await redis.kill();
    // Empty on its return: what is queued from now on, the reconciler queued.
    await redis.start();
    await stack.smtp.start();

    await waitFor(async () => (await statuses(workshopId)).emailed === 20, { timeoutMs: 60_000, intervalMs: 100, what: 'all 20 recorded as e-mailed' });
    await waitFor(async () => (await pending()) === 0, { timeoutMs: 30_000, what: 'no mail job left' });
    const recipients = stack.smtp.received.map((m) => m.envelopeTo[0]).filter((to) => to.startsWith('lost'));
    expect(recipients).toHaveLength(20);
    expect(new Set(recipients).size).toBe(20);

    // Each finding said once in the log: which invitation, since when; and counted.
    const findings = logs.of('Reconciler').filter((line) => line.kind === 'invitation-mail');
    expect(new Set(findings.map((line) => line.id))).toEqual(new Set(invitationIds));
    expect(findings[0]).toMatchObject({ level: 40, jobId: expect.stringMatching(/^invitation\./), dueSince: expect.any(String) });
    const metric = await stack.worker!.get(MetricsRegistry).getSingleMetricAsString('reconciled_jobs_total');
    expect(metric).toMatch(new RegExp(`reconciled_jobs_total\\{kind="invitation-mail"\\} ${findings.length}`));
    // The reminders' scheduler, lost with the rest, is back too.
    await waitFor(() => schedule.getJobScheduler('find-due-reminders'), { what: 'the reminders scheduler back' });
  });

  it('creates the reminders job scheduler again within an interval when Redis lost it', async () => {
    const found = () => logs.of('Reconciler').filter((line) => line.kind === 'reminder-sweeps-scheduler').length;
    const before = found();
    expect(await schedule.getJobScheduler('find-due-reminders')).toBeTruthy();
    // A pass may re-create it at any instant after the removal: the finding, logged once it is back, says it was missing.
    await schedule.removeJobScheduler('find-due-reminders');
    await waitFor(async () => found() === before + 1 && Boolean(await schedule.getJobScheduler('find-due-reminders')), {
      timeoutMs: 10_000,
      what: 'the scheduler found missing and back',
    });
  });

  it('queues nothing on a pass where no job is missing, and reads only the issued invitations through their partial index', async () => {
    // 100 invitations waiting for a mail server that is down: their jobs exist.
    await stack.smtp.stop();
    const { workshopId } = await invite('waiting', 100);
    await waitFor(async () => (await pending()) === 100, { timeoutMs: 30_000, intervalMs: 50, what: 'the 100 jobs queued' });
    const before = (await stack.worker!.get(MetricsRegistry).getSingleMetricAsString('reconciled_jobs_total'));
    const pass = await waitFor(() => stack.worker!.get(ReconcileTimer).runPass(), { what: 'a pass that ran' });
    expect(pass).toEqual({
      ran: true,
      requeued: { 'invitation-mail': 0, reminder: 0, 'account-activation-mail': 0, 'proposal-decision-mail': 0, 'report-compile': 0, 'report-delivery': 0, 'report-rerender': 0, 'call-closing': 0 },
    });
    expect(await stack.worker!.get(MetricsRegistry).getSingleMetricAsString('reconciled_jobs_total')).toBe(before);
    expect(await statuses(workshopId)).toEqual({ issued: 100 });

    // Many answered invitations beside them: the pass's plan goes through the partial index.
    await sql(
      `INSERT INTO invitations (id, workshop_id, full_name, email, country, organization, language, token_hash, status, issued_at, version)
       SELECT gen_random_uuid(), $1, 'P', 'p' || n || '@x.test', 'ZM', 'M', 'en', 'h' || n, 'emailed', now(), 2 FROM generate_series(1, 20000) n`,
      [workshopId],
    );
    await sql('ANALYZE invitations');
    const plan = (await sql<{ 'QUERY PLAN': string }>(`EXPLAIN ${DUE_INVITATION_MAILS_SQL}`, [invitationStream('')])).map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('invitations_issued');
    await stack.smtp.start();
  });

  it('skips its pass while another worker process holds the reconcile lock, and runs again once it is free', async () => {
    const other = new Client({ connectionString: stack.db.url });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock(hashtext('passerelle.reconcile-jobs'))");
      const timer = stack.worker!.get(ReconcileTimer);
      // A pass begun before the lock was taken may still finish; the next one must skip.
      await waitFor(async () => (await timer.runPass())?.ran === false, { what: 'a skipped pass' });
      await other.query("SELECT pg_advisory_unlock(hashtext('passerelle.reconcile-jobs'))");
      expect(await timer.runPass()).toMatchObject({ ran: true });
    } finally {
      await other.end();
    }
  });
});
