import type { Queue } from 'bullmq';
import { Client } from 'pg';
import { invitationReminderId } from '@passerelle/invitations';
import { ReminderEngine, REMINDER_SWEEPS_QUEUE, REMINDERS_QUEUE } from '@passerelle/reminders';
import { LogLines, waitFor } from '@passerelle/testing';
import { ReconcileTimer } from '../apps/worker/src/reconcile/reconcile.timer';
import type { OwnRedis } from './support/own-redis';
import { type OwnRedisStack, startStackWithOwnRedis } from './support/own-redis-stack';
import type { Stack } from './support/stack';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const RECONCILE_LOCK = "hashtext('passerelle.reconcile-jobs')";

/**
 * Redis may forget; the store never does. The reminders' scheduler looks once a day here, so only the
 * reconciler (every second) can queue again a reminder job Redis lost after the scheduler queued it.
 */
describe('reminder jobs Redis lost, queued again from the store', () => {
  let redis: OwnRedis;
  let stack: Stack;
  let mail: Queue;
  let schedule: Queue;
  const logs = new LogLines();
  const people = ['quiet', 'silent'].map((name, i) => ({ fullName: name, email: `${name}@ministry.gov.test`, country: 'KZ', organization: 'Ministry', language: i ? 'fr' : 'en' }));
  const reminders = (email: string) => stack.smtp.to(email).filter((m) => /^(Reminder|Rappel)/.test(m.parsed.subject ?? ''));

  let own: OwnRedisStack;

  beforeAll(async () => {
    own = await startStackWithOwnRedis('reconcile_reminders', {
      env: { RECONCILE_INTERVAL_SECONDS: '1', REMINDER_DAYS_BEFORE: '7', REMINDER_CHECK_INTERVAL_SECONDS: '86400' },
      workerLogs: logs,
    });
    ({ redis, stack } = own);
    mail = own.queue(REMINDERS_QUEUE);
    schedule = own.queue(REMINDER_SWEEPS_QUEUE);
  });

  afterAll(async () => {
    await own?.close();
  });

  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => own.sql<T>(text, values);
  /** Runs of the scheduled look for due reminders completed so far. */
  const runs = async () => (await schedule.getJobCounts('completed')).completed;
  let invitationIds: string[] = [];

  it('sends each reminder once, within a pass, when Redis lost its job after the scheduler queued it', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    // The workshop starts in 6 days: within the 7 days of the reminder.
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Smart health', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: day(6), endsOn: day(7), themes: ['healthcare'] })
      .expect(201);
    const id = created.body.id as string;
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    const invited = await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: people }).expect(202);
    invitationIds = invited.body.items.map((item: { id: string }) => item.id);
    await waitFor(async () => (await sql('SELECT 1 FROM invitations WHERE workshop_id = $1 AND status = $2', [id, 'emailed'])).length === 2, { timeoutMs: 30_000, what: 'the invitations e-mailed' });
    await waitFor(async () => (await runs()) >= 1, { what: "the scheduler's first run, at start" });

    // No pass in between (the test holds the reconciler's lock), the reminders queue paused: the sweep's
    // look queues both reminders, as if invited two days ago, and Redis then loses their jobs.
    const lock = new Client({ connectionString: stack.db.url });
    await lock.connect();
    try {
      await lock.query(`SELECT pg_advisory_lock(${RECONCILE_LOCK})`);
      await mail.pause();
      await sql("UPDATE invitations SET issued_at = issued_at - interval '2 days' WHERE workshop_id = $1", [id]);
      expect(await stack.worker!.get(ReminderEngine).sweep()).toEqual({ invitation: 2, 'partnership-end': 0, 'call-deadline': 0 });
      for (const invitationId of invitationIds) {
        const job = await mail.getJob(invitationReminderId(invitationId));
        expect(job?.name).toBe('invitation');
        await job!.remove();
      }
      await mail.resume();
    } finally {
      await lock.query(`SELECT pg_advisory_unlock(${RECONCILE_LOCK})`);
      await lock.end();
    }
    const scheduled = await runs();

    await waitFor(() => people.every((p) => reminders(p.email).length >= 1), { timeoutMs: 20_000, what: 'both reminders sent' });
    await waitFor(async () => (await sql('SELECT 1 FROM invitations WHERE workshop_id = $1 AND reminded_at IS NOT NULL', [id])).length === 2, { what: 'the reminders recorded' });
    expect(reminders('silent@ministry.gov.test')[0].parsed.subject).toMatch(/^Rappel : Smart health/);
    // Queued again by the reconciler, each once, said in the log: not by a run of the scheduler.
    const findings = logs.of('Reconciler').filter((line) => line.kind === 'reminder');
    expect(findings.map((line) => line.id).sort()).toEqual([...invitationIds].sort());
    expect(findings[0]).toMatchObject({ level: 40, jobId: expect.stringMatching(/^reminder\.invitation\./), dueSince: expect.any(String) });
    expect(await runs()).toBe(scheduled);

    // Later passes find nothing due: the reminders are recorded.
    const timer = stack.worker!.get(ReconcileTimer);
    for (let i = 0; i < 2; i++) expect(await waitFor(() => timer.runPass(), { what: 'a pass that ran' })).toMatchObject({ ran: true, requeued: { reminder: 0 } });
    for (const person of people) expect(reminders(person.email)).toHaveLength(1);
  });

  it('sends no second reminder when a later pass queues one again for an invitation already reminded', async () => {
    // The read model behind the store (reminded_at not yet set) and the job gone from Redis: a pass queues it again.
    const [invitationId] = invitationIds;
    await (await mail.getJob(invitationReminderId(invitationId)))!.remove();
    await sql('UPDATE invitations SET reminded_at = NULL WHERE id = $1', [invitationId]);
    const job = await waitFor(async () => {
      const found = await mail.getJob(invitationReminderId(invitationId));
      return found?.finishedOn ? found : null;
    }, { timeoutMs: 20_000, what: 'the reminder job queued again and run' });
    expect(job.returnvalue).toBe('no longer due');
    for (const person of people) expect(reminders(person.email)).toHaveLength(1);
  });
});
