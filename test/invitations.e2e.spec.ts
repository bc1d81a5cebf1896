import { Client } from 'pg';
import { waitFor } from '@passerelle/testing';
import { type Stack, startStack, tokenIn } from './support/stack';

const COUNTRIES = ['ID', 'PK', 'EG', 'ZM', 'BR', 'KZ', 'FR'];

function participants(count: number, prefix = 'p') {
  return Array.from({ length: count }, (_, i) => {
    const country = COUNTRIES[i % COUNTRIES.length];
    return {
      fullName: `Participant ${i} ${country}`,
      email: `${prefix}${i}@ministry-${country.toLowerCase()}.gov.test`,
      country,
      organization: `Ministry of Digital Affairs (${country})`,
      language: country === 'FR' || i % 2 === 1 ? 'fr' : 'en',
    };
  });
}

async function plannedWorkshop(stack: Stack, startsOn = '2030-10-23', endsOn = '2030-10-25') {
  const auth = { Authorization: `Bearer ${stack.token}` };
  const created = await stack.http
    .post('/api/workshops')
    .set(auth)
    .send({ title: 'AI capacity building', hostInstitution: 'Shanghai AI Research Institute', city: 'Shanghai', country: 'CN', startsOn, endsOn, themes: ['healthcare', 'education'] })
    .expect(201);
  const id = created.body.id as string;
  await stack.http
    .post(`/api/workshops/${id}/sessions`)
    .set(auth)
    .send({ kind: 'study', title: 'Foundations', startsAt: `${startsOn}T09:00:00Z`, endsAt: `${startsOn}T12:00:00Z` })
    .expect(201);
  await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
  return { id, auth };
}

describe('workshops and invitations, end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('invitations');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('e-mails 50 participants in their language with links that work, and counts their answers', async () => {
    const { id, auth } = await plannedWorkshop(stack);
    const people = participants(50);
    const invited = await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: people }).expect(202);
    expect(invited.body.items).toHaveLength(50);
    expect(invited.headers['x-position']).toBe(String(invited.body.position));

    await waitFor(() => stack.smtp.received.length >= 50, { timeoutMs: 30_000, what: '50 e-mails' });
    expect(stack.smtp.received).toHaveLength(50);
    const tokens = new Map<string, string>();
    for (const person of people) {
      const mails = stack.smtp.to(person.email);
      expect(mails).toHaveLength(1);
      const { subject, text, html } = mails[0].parsed;
      if (person.language === 'fr') {
        expect(subject).toMatch(/^Invitation : AI capacity building, Shanghai, /);
        expect(text).toContain(`Bonjour ${person.fullName}`);
        expect(subject).toMatch(/23\s?–\s?25 octobre 2030$/);
      } else {
        expect(subject).toMatch(/^Invitation: AI capacity building, Shanghai, /);
        expect(text).toContain(`Dear ${person.fullName}`);
        expect(subject).toMatch(/October 23\s?–\s?25, 2030$/);
      }
      expect(html).toContain('/rsvp/');
      expect(text).toContain(`${stack.env.APP_BASE_URL}/rsvp/`);
      tokens.set(person.email, tokenIn(text ?? ''));
    }
    expect(new Set(tokens.values()).size).toBe(50);

    const accepting = people.slice(0, 25);
    const declining = people.slice(25, 35);
    let position = 0;
    for (const [group, response] of [[accepting, 'accept'], [declining, 'decline']] as const) {
      for (const person of group) {
        const token = tokens.get(person.email)!;
        const read = await stack.http.get(`/api/rsvp/${token}`).expect(200);
        expect(read.body).toMatchObject({ fullName: person.fullName, workshop: { title: 'AI capacity building', city: 'Shanghai', startsOn: '2030-10-23', endsOn: '2030-10-25' } });
        const answered = await stack.http.post(`/api/rsvp/${token}`).send({ response }).expect(200);
        position = Math.max(position, answered.body.position);
      }
    }

    const counts = await waitFor(
      async () => {
        const detail = await stack.http.get(`/api/workshops/${id}`).set(auth).set('X-Min-Position', String(position)).expect(200);
        const c = detail.body.invitations;
        return c.accepted === 25 && c.declined === 10 && c.emailed === 15 ? detail.body : null;
      },
      { timeoutMs: 15_000, what: 'the workshop counts' },
    );
    expect(counts.invitations).toEqual({ issued: 0, emailed: 15, bounced: 0, accepted: 25, declined: 10, total: 50 });
    expect(counts.status).toBe('registration_open');
    expect(counts.sessions).toHaveLength(1);

    const accepted = await stack.http.get(`/api/workshops/${id}/invitations?status=accepted&limit=10`).set(auth).set('X-Min-Position', String(position)).expect(200);
    expect(accepted.body.items).toHaveLength(10);
    expect(accepted.body.items[0]).toMatchObject({ status: 'accepted', emailedAt: expect.any(String), respondedAt: expect.any(String) });
    const rest = await stack.http.get(`/api/workshops/${id}/invitations?status=accepted&limit=500&cursor=${accepted.body.nextCursor}`).set(auth).expect(200);
    expect(rest.body.items).toHaveLength(15);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('keeps one participant\'s link to their own invitation, answers 404 to a wrong one, and serves the page', async () => {
    const { id, auth } = await plannedWorkshop(stack);
    const [a, b] = participants(2, 'iso');
    const before = stack.smtp.received.length;
    await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: [a, b] }).expect(202);
    await waitFor(() => stack.smtp.received.length >= before + 2, { timeoutMs: 20_000, what: 'two e-mails' });
    const tokenA = tokenIn(stack.smtp.to(a.email)[0].parsed.text ?? '');
    const tokenB = tokenIn(stack.smtp.to(b.email)[0].parsed.text ?? '');
    await stack.http.post(`/api/rsvp/${tokenA}`).send({ response: 'accept' }).expect(200);
    const readB = await stack.http.get(`/api/rsvp/${tokenB}`).expect(200);
    expect(readB.body.fullName).toBe(b.fullName);
    expect(readB.body.status).not.toBe('accepted');
    await stack.http.get(`/api/rsvp/${tokenA.slice(0, -1)}${tokenA.endsWith('A') ? 'B' : 'A'}`).expect(404);
    await stack.http.post('/api/rsvp/not-a-token').send({ response: 'accept' }).expect(404);
    const page = await stack.http.get(`/rsvp/${tokenB}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain(b.fullName);
    expect(page.text).toMatch(/id="accept"/);
    await stack.http.get('/rsvp/wrong').expect(404);
  });

  it('answers a link e-mailed before the read models had the invitation, once they catch up, instead of a 404', async () => {
    // The workshop's read model is held back (its table locked for writes) while the invitation is e-mailed,
    // so the link reaches its reader before the row the RSVP page joins on exists.
    const holder = new Client({ connectionString: stack.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE workshops IN EXCLUSIVE MODE');
      const { id, auth } = await plannedWorkshop(stack);
      const [a] = participants(1, 'early');
      await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: [a] }).expect(202);
      await waitFor(() => stack.smtp.to(a.email).length === 1, { timeoutMs: 20_000, what: 'the e-mail' });
      const token = tokenIn(stack.smtp.to(a.email)[0].parsed.text ?? '');
      const read = stack.http.get(`/api/rsvp/${token}`).then((answer) => answer);
      // The read found nothing and is waiting for the read models: only then is the lock let go.
      await waitFor(
        async () => {
          await holder.query('SELECT pg_stat_clear_snapshot()'); // inside a transaction the view is otherwise read once
          const waiting = await holder.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%subscription_checkpoints%' AND query LIKE '%behind%' AND pid <> pg_backend_pid()");
          return waiting.rowCount! > 0;
        },
        { timeoutMs: 10_000, intervalMs: 5, what: 'the read waiting for the read models' },
      );
      await holder.query('COMMIT');
      const answer = await read;
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ fullName: a.fullName, workshop: { title: 'AI capacity building', city: 'Shanghai' } });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });

  it('refuses a participant already invited to the workshop, and answers closed once it has started', async () => {
    const { id, auth } = await plannedWorkshop(stack);
    const [a] = participants(1, 'dup');
    await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: [a] }).expect(202);
    const again = await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: [{ ...a, email: a.email.toUpperCase() }] }).expect(409);
    expect(again.body.code).toBe('duplicate_participant');
    await waitFor(() => stack.smtp.to(a.email).length === 1, { timeoutMs: 20_000, what: 'the e-mail' });
    const token = tokenIn(stack.smtp.to(a.email)[0].parsed.text ?? '');
    await stack.http.post(`/api/workshops/${id}/start`).set(auth).expect(200);
    const closed = await stack.http.post(`/api/rsvp/${token}`).send({ response: 'accept' }).expect(409);
    expect(closed.body.code).toBe('rsvp_closed');
  });

  it('shows the queues to staff only, and reports queue depth and subscription lag on /metrics', async () => {
    // Every path of the board, not only its page: its JSON API lists the queues' jobs and their data.
    const boardPaths = ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues', '/admin/queues/api/queues/invitation-mail/failed', '/admin/%71ueues/api/queues'];
    for (const path of boardPaths) {
      const refused = await stack.http.get(path);
      expect({ path, status: refused.status }).toEqual({ path, status: 401 });
    }
    const staff = await stack.http
      .post('/api/staff')
      .set('Authorization', `Bearer ${stack.token}`)
      .send({ email: 'board.viewer@institute.test', fullName: 'Board Viewer', password: 'a-long-staff-password' })
      .expect(201);
    expect(staff.body.role).toBe('staff');
    const login = await stack.http.post('/api/auth/login').send({ email: 'board.viewer@institute.test', password: 'a-long-staff-password' }).expect(200);
    const board = await stack.http.get('/admin/queues').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(board.text).toMatch(/<html/i);
    const entry = await stack.http.get(`/admin/queues?access_token=${login.body.accessToken}`).expect(303);
    expect(entry.headers.location).toBe('/admin/queues');
    const cookie = entry.headers['set-cookie'][0].split(';')[0];
    expect(entry.headers['set-cookie'][0]).toMatch(/HttpOnly/);
    await stack.http.get('/admin/queues').set('Cookie', cookie).expect(200);
    const api = await stack.http.get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['invitation-mail', 'invitation-reminders']));

    const metrics = await stack.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/queue_jobs\{queue="invitation-mail",state="completed"\} [1-9]\d*/);
    expect(metrics.text).toMatch(/queue_jobs\{queue="invitation-mail",state="failed"\} \d+/);
    expect(metrics.text).toMatch(/queue_jobs\{queue="notification-mail",state="waiting"\} \d+/);
    expect(metrics.text).toMatch(/queue_jobs\{queue="report",state="waiting"\} \d+/);
    expect(metrics.text).toMatch(/subscription_lag_positions\{subscription="invitation-read-model"\} \d+/);
    expect(metrics.text).toMatch(/subscription_lag_events\{subscription="invitation-read-model"\} \d+/);
    expect(metrics.text).toMatch(/subscription_lag_seconds\{subscription="invitation-mail-reactor"\} [\d.]+/);
  });
});
