import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { MetricsRegistry } from '@passerelle/platform';
import { DUE_REPORT_COMPILES_SQL, DUE_REPORT_DELIVERIES_SQL, REPORT_QUEUE, REPORT_REACTOR, reportStream } from '@passerelle/reporting';
import { LogLines, waitFor } from '@passerelle/testing';
import { ReconcileTimer } from '../apps/worker/src/reconcile/reconcile.timer';
import type { OwnRedis } from './support/own-redis';
import { type OwnRedisStack, startStackWithOwnRedis } from './support/own-redis-stack';
import { reportEvents as readReportEvents } from './support/report-events';
import type { Stack } from './support/stack';

/** Three participating countries, each with a ministry contact. */
const CONTACTS: Record<string, { ministryName: string; email: string; language: string }> = {
  EG: { ministryName: 'Ministry of Communications and Information Technology', email: 'ai@mcit.gov.eg', language: 'fr' },
  ID: { ministryName: 'Ministry of Communication and Digital Affairs', email: 'ai@komdigi.go.id', language: 'en' },
  ZM: { ministryName: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' },
};
const MINISTRY_EMAILS = Object.values(CONTACTS).map((c) => c.email);
const people = Object.keys(CONTACTS).flatMap((country) =>
  [0, 1].map((n) => ({ fullName: `Delegate ${n} ${country}`, email: `d${n}@delegation-${country.toLowerCase()}.gov.test`, country, organization: 'Ministry', language: 'en' })),
);

/**
 * Redis may forget; the store never does. A concluded workshop's report deliveries wait in Redis for a
 * mail server that is down; Redis is emptied (FLUSHALL) under the running worker; the reconciler (every
 * second here) queues the deliveries again from the store, and each ministry gets its report once.
 */
describe('report deliveries Redis lost, queued again from the store', () => {
  let redis: OwnRedis;
  let stack: Stack;
  let queue: Queue;
  const logs = new LogLines();

  let own: OwnRedisStack;

  beforeAll(async () => {
    own = await startStackWithOwnRedis('reconcile_reports', { env: { RECONCILE_INTERVAL_SECONDS: '1' }, workerLogs: logs });
    ({ redis, stack } = own);
    queue = own.queue(REPORT_QUEUE);
  });

  afterAll(async () => {
    await own?.close();
  });

  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => own.sql<T>(text, values);

  const reportEvents = (workshopId: string) => readReportEvents(stack.db.url, workshopId);
  const ministryMails = () => stack.smtp.received.filter((m) => m.envelopeTo.some((to) => MINISTRY_EMAILS.includes(to)));

  it('e-mails each ministry its report once after FLUSHALL while the deliveries were queued, with no restart and no command', async () => {
    const auth = { Authorization: `Bearer ${stack.token}` };
    const created = await stack.http
      .post('/api/workshops')
      .set(auth)
      .send({ title: 'AI for public services', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-10-23', endsOn: '2030-10-25', themes: ['healthcare'] })
      .expect(201);
    const id = created.body.id as string;
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth).expect(200);
    for (const [country, contact] of Object.entries(CONTACTS)) await stack.http.put(`/api/ministries/${country}`).set(auth).send(contact).expect(200);
    await stack.http.post(`/api/workshops/${id}/invitations`).set(auth).send({ participants: people }).expect(202);
    await waitFor(() => people.every((p) => stack.smtp.to(p.email).length === 1), { timeoutMs: 30_000, what: 'the invitations e-mailed' });
    await stack.http.post(`/api/workshops/${id}/start`).set(auth).expect(200);

    // The mail server down: the report is compiled, its deliveries queued, their jobs delayed after failed attempts.
    await stack.smtp.stop();
    await stack.http.post(`/api/workshops/${id}/conclude`).set(auth).expect(202);
    await waitFor(async () => (await reportEvents(id)).filter((e) => e.startsWith('ReportDeliveryQueued:')).length === 3, {
      timeoutMs: 60_000,
      what: 'the three deliveries queued',
    });
    await waitFor(async () => {
      const delayed = await queue.getJobs(['delayed']);
      return delayed.length === 4 && delayed.every((job) => job.attemptsMade >= 1);
    }, { timeoutMs: 30_000, intervalMs: 50, what: 'the compile job and the three deliver jobs delayed after failed attempts' });
    expect(logs.of('Reconciler')).toEqual([]);

    // No attempt in flight when Redis is emptied (one could send once the mail server is up, before any
    // pass): the queue paused and its active jobs over; FLUSHALL takes the pause away with the rest.
    await queue.pause();
    await waitFor(async () => (await queue.getJobCounts('active')).active === 0, { timeoutMs: 30_000, intervalMs: 20, what: 'no report job active' });
    const flusher = new Redis(redis.url);
    try {
      await flusher.flushall();
    } finally {
      flusher.disconnect();
    }
    await stack.smtp.start();

    await waitFor(async () => (await stack.http.get(`/api/workshops/${id}/report`).set(auth).expect(200)).body.status === 'sent', {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'every delivery sent',
    });
    await waitFor(async () => {
      const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    }, { timeoutMs: 30_000, what: 'the report queue drained' });
    expect(ministryMails().map((m) => m.envelopeTo[0]).sort()).toEqual([...MINISTRY_EMAILS].sort());
    const events = await reportEvents(id);
    expect(events.filter((e) => e === 'ReportCompiled')).toHaveLength(1);
    expect(events.filter((e) => e.startsWith('ReportDeliverySent:')).sort()).toEqual(Object.keys(CONTACTS).map((c) => `ReportDeliverySent:${c}`));

    // Each delivery found missing said once in the log, which one and since when, and counted.
    const findings = logs.of('Reconciler').filter((line) => line.kind === 'report-delivery');
    expect(new Set(findings.map((line) => line.id))).toEqual(new Set(Object.keys(CONTACTS).map((c) => `${id}:${c}`)));
    expect(findings[0]).toMatchObject({ level: 40, jobId: expect.stringMatching(/^report\./), dueSince: expect.any(String) });
    expect(logs.of('Reconciler').filter((line) => line.kind === 'report-compile')).toEqual([]);
    const metric = await stack.worker!.get(MetricsRegistry).getSingleMetricAsString('reconciled_jobs_total');
    expect(metric).toMatch(new RegExp(`reconciled_jobs_total\\{kind="report-delivery"\\} ${findings.length}`));
  });

  it('queues nothing on a pass where no report job is missing, and reads only the report progress events through their partial index', async () => {
    const pass = await waitFor(() => stack.worker!.get(ReconcileTimer).runPass(), { what: 'a pass that ran' });
    expect(pass).toMatchObject({ ran: true, requeued: { 'report-compile': 0, 'report-delivery': 0 } });

    // A store with many other events: the plans go through an index on the event type (all of it rolled back).
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO events (position, event_id, stream_id, category, version, type, data, metadata)
         SELECT (SELECT coalesce(max(position), 0) FROM events) + n, gen_random_uuid(), 'filler-' || n, 'filler', 1, 'FillerRecorded', '{}', '{}' FROM generate_series(1, 50000) n`,
      );
      await client.query('ANALYZE events');
      const plan = async (text: string, values: unknown[]) => (await client.query(`EXPLAIN ${text}`, values)).rows.map((row) => row['QUERY PLAN']).join('\n');
      // Through an index on the event type (the partial events_report_progress, or events_type_recorded_at
      // when the planner prefers it), never a scan of the whole events table.
      for (const [text, values] of [[DUE_REPORT_COMPILES_SQL, [reportStream(''), REPORT_REACTOR]], [DUE_REPORT_DELIVERIES_SQL, [REPORT_REACTOR]]] as const) {
        const shown = await plan(text, [...values]);
        expect(shown).toMatch(/Index (Only )?Scan using (events_report_progress|events_type_recorded_at) on events/);
        expect(shown).not.toMatch(/Seq Scan on events/);
      }
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  });
});
