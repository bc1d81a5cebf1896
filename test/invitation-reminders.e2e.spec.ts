import { Queue } from 'bullmq';
import { Client } from 'pg';
import { invitationReminderId } from '@passerelle/invitations';
import { queueConnection } from '@passerelle/platform';
import { type DueReminder, REMINDER_SWEEPS_QUEUE, reminderJob, REMINDERS_QUEUE } from '@passerelle/reminders';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { type Stack, startStack } from './support/stack';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The worker as wired: its job scheduler looks for due reminders every second here (an hour by default). */
describe('invitation reminders', () => {
  let stack: Stack;
  let schedule: Queue;
  let reminderJobs: Queue<DueReminder>;

  beforeAll(async () => {
    stack = await startStack('reminders', { env: { REMINDER_DAYS_BEFORE: '7', REMINDER_CHECK_INTERVAL_SECONDS: '1' } });
    const { connection, prefix } = queueConnection(TEST_REDIS_URL, new URL(stack.db.url).pathname.slice(1));
    schedule = new Queue(REMINDER_SWEEPS_QUEUE, { connection, prefix });
    reminderJobs = new Queue(REMINDERS_QUEUE, { connection, prefix });
  });

  afterAll(async () => {
    await schedule?.close();
    await reminderJobs?.close();
    await stack?.close();
  });

  async function sql(text: string, values: unknown[]): Promise<void> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      await client.query(text, values);
    } finally {
      await client.end();
    }
  }

  /** Runs of the scheduled look for due reminders completed so far. */
  const runs = async () => (await schedule.getJobCounts('completed')).completed;

  it('reminds each participant who has not answered, once, in their language, on its own schedule', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    // The workshop starts in 6 days: within the 7 days of the reminder.
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'Smart health', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: day(6), endsOn: day(7), themes: ['healthcare'] })
      .expect(201);
    const id = created.body.id;
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    const people = ['quiet', 'answered', 'silent'].map((name, i) => ({
      fullName: name,
      email: `${name}@ministry.gov.test`,
      country: 'KZ',
      organization: 'Ministry',
      language: i === 2 ? 'fr' : 'en',
    }));
    await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: people }).expect(202);
    await waitFor(() => stack.smtp.received.length === 3, { timeoutMs: 20_000, what: 'three invitations' });
    const token = /\/rsvp\/([A-Za-z0-9_-]{43})/.exec(stack.smtp.to('answered@ministry.gov.test')[0].parsed.text ?? '')![1];
    const answered = await stack.http.post(`/api/rsvp/${token}`).send({ response: 'decline' }).expect(200);
    await stack.http.get(`/api/workshops/${id}`).set(auth).set('X-Min-Position', String(answered.body.position)).expect(200);

    // Invited today, nobody is reminded yet, however often the scheduler looks.
    const before = await runs();
    await waitFor(async () => (await runs()) >= before + 2, { timeoutMs: 20_000, what: 'two scheduled runs' });
    expect(stack.smtp.received).toHaveLength(3);

    // As if they had been invited two days ago: the next scheduled run finds the two who have not answered.
    await sql("UPDATE invitations SET issued_at = issued_at - interval '2 days' WHERE workshop_id = $1", [id]);
    await waitFor(() => stack.smtp.received.length === 5, { timeoutMs: 20_000, what: 'two reminders, sent on the schedule' });
    expect(stack.smtp.to('quiet@ministry.gov.test').map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^Invitation: /), expect.stringMatching(/^Reminder: Smart health/)]);
    expect(stack.smtp.to('silent@ministry.gov.test')[1].parsed.subject).toMatch(/^Rappel : Smart health/);
    // A reminder carries the workshop's calendar file, as the invitation does.
    const calendar = stack.smtp.to('quiet@ministry.gov.test')[1].parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(calendar?.content.toString('utf8')).toContain('BEGIN:VCALENDAR');
    expect(stack.smtp.to('answered@ministry.gov.test')).toHaveLength(1);

    const reminded = await waitFor(async () => {
      const list = await stack.http.get(`/api/workshops/${id}/invitations`).set(auth).expect(200);
      const items = list.body.items as { id: string; email: string; remindedAt: string | null }[];
      return items.filter((i) => i.remindedAt).length === 2 ? items : null;
    }, { what: 'the reminders to be recorded' });
    // Sent by the reminder engine: one job each on the one reminders queue, under the engine's id for the invitation.
    const sentJobs = (await reminderJobs.getJobs(['completed'])).filter((job) => job.name === 'invitation');
    const remindedIds = reminded.filter((i) => i.email !== 'answered@ministry.gov.test').map((i) => invitationReminderId(i.id));
    expect(remindedIds.every((jobId) => /^reminder\.invitation\.[0-9a-f-]{36}$/.test(jobId))).toBe(true);
    expect(sentJobs.map((job) => job.id).sort()).toEqual(remindedIds.sort());
    expect(sentJobs.map((job) => job.returnvalue)).toEqual(['sent', 'sent']);

    // A reminder job for the invitation answered (queued as the sweep would): no longer due, nothing sent.
    const answeredId = reminded.find((i) => i.email === 'answered@ministry.gov.test')!.id;
    const due: DueReminder = { kind: 'invitation', reminderId: invitationReminderId(answeredId), subjectId: answeredId, dueOn: day(0), details: { invitationId: answeredId } };
    const { name, data, opts } = reminderJob({ MAIL_ATTEMPTS: 3, MAIL_RETRY_DELAY_MS: 100 }, due);
    await reminderJobs.add(name, data, opts);
    const ran = await waitFor(async () => {
      const job = await reminderJobs.getJob(due.reminderId);
      return job?.finishedOn ? job : null;
    }, { what: 'the reminder of the answered invitation run' });
    expect(ran.returnvalue).toBe('no longer due');
    expect(stack.smtp.to('answered@ministry.gov.test')).toHaveLength(1);
    // Later runs send nobody a second one.
    const recorded = await runs();
    await waitFor(async () => (await runs()) >= recorded + 2, { timeoutMs: 20_000, what: 'two more scheduled runs' });
    expect(stack.smtp.received).toHaveLength(5);
  });
});
