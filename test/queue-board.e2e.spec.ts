import { Queue } from 'bullmq';
import type request from 'supertest';
import { AppConfig, queueConnection } from '@passerelle/platform';
import { REPORT_QUEUE } from '@passerelle/reporting';
import { ADMIN, type ApiUnderTest, login, startApi } from './support/api';
import { queryRows } from './support/sql';

const BOARD = '/admin/queues/api/queues';
const ALL_QUEUES = ['call-closing', 'invitation-mail', 'invitation-reminders', 'notification-mail', 'reminders', 'report'];

interface AuditEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: string | null; correlationId: string | null };
}

/**
 * The queue board against the real API and Redis (queues under this spec's own prefix, no worker):
 * staff read it and can change nothing, admins act on it, and each action is in the audit.
 */
describe('the queue board: staff read it, admins act on it, the audit keeps what they did', () => {
  let api: ApiUnderTest;
  let queues: Map<string, Queue>;
  let admin: { id: string; auth: Record<string, string> };
  let staff: Record<string, string>;
  let staffCookie: Record<string, string>;
  let report: Queue;

  beforeAll(async () => {
    api = await startApi('queue_board');
    const config = api.app.get(AppConfig);
    const { connection, prefix } = queueConnection(config.REDIS_URL, config.QUEUE_PREFIX);
    queues = new Map(ALL_QUEUES.map((name) => [name, new Queue(name, { connection, prefix })]));
    report = queues.get(REPORT_QUEUE)!;
    const adminAuth = { Authorization: `Bearer ${await login(api.http, ADMIN.email, ADMIN.password)}` };
    admin = { id: (await api.http.get('/api/me').set(adminAuth).expect(200)).body.id, auth: adminAuth };
    await api.http.post('/api/staff').set(adminAuth).send({ email: 'queue.watcher@institute.test', fullName: 'Queue Watcher', password: 'a-long-staff-password' }).expect(201);
    const staffToken = await login(api.http, 'queue.watcher@institute.test', 'a-long-staff-password');
    staff = { Authorization: `Bearer ${staffToken}` };
    const entry = await api.http.get(`/admin/queues?access_token=${staffToken}`).expect(303);
    staffCookie = { Cookie: entry.headers['set-cookie'][0].split(';')[0] };
  });

  afterAll(async () => {
    await Promise.all([...(queues?.values() ?? [])].map((queue) => queue.close()));
    await api?.close();
  });

  const audit = async (queue: string) => {
    const answer = await api.http.get(`/api/audit/queue/${queue}`).set(admin.auth);
    return answer.status === 404 ? [] : (answer.body as AuditEvent[]);
  };

  it('shows staff every queue read-only, and refuses them every write (403), whatever the page offers', async () => {
    const list = await api.http.get(BOARD).set(staff).expect(200);
    expect(list.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(ALL_QUEUES);
    for (const queue of list.body.queues) expect(queue).toMatchObject({ readOnlyMode: true, allowRetries: false, allowCompletedRetries: false });
    const job = await report.add('compile', { workshopId: 'w-1' }, { jobId: 'report.staff-1' });
    const delayed = await report.add('compile', { workshopId: 'w-2' }, { jobId: 'report.staff-2', delay: 60_000 });

    const writes: [string, (headers: Record<string, string>) => request.Test][] = [
      ['pause', (h) => api.http.put(`${BOARD}/report/pause`).set(h)],
      ['resume', (h) => api.http.put(`${BOARD}/report/resume`).set(h)],
      ['pause all', (h) => api.http.put(`${BOARD}/pause`).set(h)],
      ['clean', (h) => api.http.put(`${BOARD}/report/clean/waiting`).set(h)],
      ['retry all', (h) => api.http.put(`${BOARD}/report/retry/failed`).set(h)],
      ['retry', (h) => api.http.put(`${BOARD}/report/${job.id}/retry`).set(h)],
      ['remove', (h) => api.http.put(`${BOARD}/report/${job.id}/clean`).set(h)],
      ['promote', (h) => api.http.put(`${BOARD}/report/${delayed.id}/promote`).set(h)],
      ['add', (h) => api.http.post(`${BOARD}/report/add`).set(h).send({ name: 'compile', data: {}, options: {} })],
      ['update data', (h) => api.http.patch(`${BOARD}/report/${job.id}/update-data`).set(h).send({ jobData: {} })],
      ['empty', (h) => api.http.put(`${BOARD}/report/empty`).set(h)],
      ['obliterate', (h) => api.http.put(`${BOARD}/report/obliterate`).set(h).send({})],
    ];
    for (const [action, send] of writes) {
      for (const [how, headers] of [['bearer', staff], ['cookie', staffCookie]] as const) {
        const answer = await send(headers);
        expect({ action, how, status: answer.status, type: answer.headers['content-type'] }).toEqual({ action, how, status: 403, type: expect.stringMatching(/^application\/problem\+json/) });
      }
    }

    // Nothing changed: the queue runs, both jobs are there, and the audit has nothing.
    expect(await report.isPaused()).toBe(false);
    expect(await report.getJobState(job.id!)).toBe('waiting');
    expect(await report.getJobState(delayed.id!)).toBe('delayed');
    for (const name of ALL_QUEUES) expect(await audit(name)).toEqual([]);
    await report.obliterate({ force: true });
  });

  it('lets an admin pause a queue and remove a job, and the audit lists both with the admin as actor', async () => {
    const list = await api.http.get(BOARD).set(admin.auth).expect(200);
    expect(list.body.queues.find((q: { name: string }) => q.name === 'report')).toMatchObject({ readOnlyMode: false, allowRetries: true });

    await api.http.put(`${BOARD}/report/pause`).set(admin.auth).set('X-Correlation-Id', 'board-pause-1').expect(200);
    expect(await report.isPaused()).toBe(true);

    const job = await report.add('compile', { workshopId: 'w-3' }, { jobId: 'report.admin-1' });
    const entry = await api.http.get(`/admin/queues?access_token=${admin.auth.Authorization.slice('Bearer '.length)}`).expect(303);
    const adminCookie = { Cookie: entry.headers['set-cookie'][0].split(';')[0] };
    await api.http.put(`${BOARD}/report/${job.id}/clean`).set(adminCookie).expect(204);
    expect(await report.getJob(job.id!)).toBeUndefined();
    // A job that is not there: the board says so, nothing was done, nothing is recorded.
    await api.http.put(`${BOARD}/report/${job.id}/clean`).set(admin.auth).expect(404);

    await api.http.put(`${BOARD}/report/resume`).set(admin.auth).expect(200);
    expect(await report.isPaused()).toBe(false);

    const trail = await audit('report');
    expect(trail.map((e) => [e.type, e.data])).toEqual([
      ['QueueActionTaken', { queue: 'report', action: 'pause' }],
      ['QueueActionTaken', { queue: 'report', action: 'remove', jobId: 'report.admin-1' }],
      ['QueueActionTaken', { queue: 'report', action: 'resume' }],
    ]);
    for (const event of trail) expect(event.metadata.actor).toBe(admin.id);
    expect(trail[0].metadata.correlationId).toBe('board-pause-1');
  });

  it("records pausing and resuming every queue on each queue's stream", async () => {
    await api.http.put(`${BOARD}/pause`).set(admin.auth).expect(200);
    for (const queue of queues.values()) expect(await queue.isPaused()).toBe(true);
    await api.http.put(`${BOARD}/resume`).set(admin.auth).expect(200);
    for (const queue of queues.values()) expect(await queue.isPaused()).toBe(false);
    for (const name of ALL_QUEUES) {
      expect((await audit(name)).slice(-2).map((e) => [e.data.action, e.metadata.actor])).toEqual([
        ['pause-all', admin.id],
        ['resume-all', admin.id],
      ]);
    }
  });

  it('tells the admin (503) when an action was carried out but could not be recorded, and records none of it', async () => {
    const before = await Promise.all(ALL_QUEUES.map(audit));
    // The database refuses queue events (a trigger raising an error), as it would when down.
    await queryRows(
      api.db.url,
      `CREATE FUNCTION refuse_queue_events() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no queue events today'; END $$;
       CREATE TRIGGER refuse_queue_events BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.stream_id LIKE 'queue-%') EXECUTE FUNCTION refuse_queue_events()`,
    );
    try {
      const answer = await api.http.put(`${BOARD}/pause`).set(admin.auth).expect(503);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body.detail).toMatch(/carried out/);
    } finally {
      await queryRows(api.db.url, 'DROP TRIGGER refuse_queue_events ON events; DROP FUNCTION refuse_queue_events()');
    }
    for (const queue of queues.values()) expect(await queue.isPaused()).toBe(true);
    expect(await Promise.all(ALL_QUEUES.map(audit))).toEqual(before);
    await api.http.put(`${BOARD}/resume`).set(admin.auth).expect(200);
  });

  it('answers a queue audit with a bad name as a 400 naming the id, and one nobody touched as a 404', async () => {
    const bad = await api.http.get('/api/audit/queue/Not%20a%20queue!').set(admin.auth).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: expect.stringContaining('queue name') }]);
    await api.http.get('/api/audit/queue/no-such-queue').set(admin.auth).expect(404);
    await api.http.get('/api/audit/workshop/report').set(admin.auth).expect(400);
    await api.http.get('/api/audit/queue/report').set(staff).expect(403);
  });

  it('gives the board cookie Secure when the app is served over https, and only then', async () => {
    const plain = await api.http.get(`/admin/queues?access_token=${admin.auth.Authorization.slice('Bearer '.length)}`).expect(303);
    expect(plain.headers['set-cookie'][0]).not.toMatch(/;\s*Secure/i);
    const https = await startApi('queue_board_https', { APP_BASE_URL: 'https://passerelle.example.org' });
    try {
      const token = await login(https.http, ADMIN.email, ADMIN.password);
      const entry = await https.http.get(`/admin/queues?access_token=${token}`).expect(303);
      expect(entry.headers['set-cookie'][0]).toMatch(/^passerelle_board=[^;]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await https.close();
    }
  });
});
