import { InvitationRemindersProcessor } from '../apps/worker/src/invitations/invitation-reminders.processor';
import { waitFor } from '@passerelle/testing';
import { type Stack, startStack } from './support/stack';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('invitation reminders', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('reminders', { env: { REMINDER_DAYS_BEFORE: '7' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('reminds each participant who has not answered, once, in their language', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    // The workshop starts in 6 days: seen from tomorrow, its start is within the 7 days of the reminder.
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

    const reminders = stack.worker!.get(InvitationRemindersProcessor);
    expect(await reminders.queueDueReminders(day(1))).toBe(2);
    await waitFor(() => stack.smtp.received.length === 5, { timeoutMs: 20_000, what: 'two reminders' });
    expect(stack.smtp.to('quiet@ministry.gov.test').map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^Invitation: /), expect.stringMatching(/^Reminder: Smart health/)]);
    expect(stack.smtp.to('silent@ministry.gov.test')[1].parsed.subject).toMatch(/^Rappel : Smart health/);
    expect(stack.smtp.to('answered@ministry.gov.test')).toHaveLength(1);

    await waitFor(async () => {
      const list = await stack.http.get(`/api/workshops/${id}/invitations`).set(auth).expect(200);
      return list.body.items.filter((i: { remindedAt: string | null }) => i.remindedAt).length === 2;
    }, { what: 'the reminders to be recorded' });
    expect(await reminders.queueDueReminders(day(1))).toBe(0);
    expect(await reminders.queueDueReminders(day(2))).toBe(0);
    expect(stack.smtp.received).toHaveLength(5);
  });
});
