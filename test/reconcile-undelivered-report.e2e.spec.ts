import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CompileReportHandler, DUE_REPORT_COMPILES_SQL, REPORT_QUEUE, REPORT_REACTOR, reportStream } from '@passerelle/reporting';
import { LogLines, waitFor } from '@passerelle/testing';
import { ReconcileTimer } from '../apps/worker/src/reconcile/reconcile.timer';
import type { OwnRedis } from './support/own-redis';
import { type OwnRedisStack, startStackWithOwnRedis } from './support/own-redis-stack';
import { reportEvents as readReportEvents } from './support/report-events';
import type { Stack } from './support/stack';

/** Three participating countries with a ministry contact, and one (KZ) without. */
const CONTACTS: Record<string, { ministryName: string; email: string; language: string }> = {
  EG: { ministryName: 'Ministry of Communications and Information Technology', email: 'ai@mcit.gov.eg', language: 'fr' },
  ID: { ministryName: 'Ministry of Communication and Digital Affairs', email: 'ai@komdigi.go.id', language: 'en' },
  ZM: { ministryName: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' },
};
const MINISTRY_EMAILS = Object.values(CONTACTS).map((c) => c.email);
const people = [...Object.keys(CONTACTS), 'KZ'].map((country) => ({
  fullName: `Delegate ${country}`,
  email: `d@delegation-${country.toLowerCase()}.gov.test`,
  country,
  organization: 'Ministry',
  language: 'en',
}));

/**
 * Redis may forget; the store never does. A worker dies after recording ReportCompiled and before
 * queuing any delivery, and Redis then loses the compile job: nothing but the reconciler (every second
 * here) finds the report, compiled with no delivery; it queues the compile job again, which finds the
 * report compiled and queues and sends its deliveries.
 */
describe('a compiled report whose deliveries were never queued, after Redis lost its compile job', () => {
  let redis: OwnRedis;
  let stack: Stack;
  let queue: Queue;
  const logs = new LogLines();

  let own: OwnRedisStack;

  beforeAll(async () => {
    own = await startStackWithOwnRedis('reconcile_undelivered', { env: { RECONCILE_INTERVAL_SECONDS: '1' }, workerLogs: logs });
    ({ redis, stack } = own);
    queue = own.queue(REPORT_QUEUE);
  });

  afterAll(async () => {
    await own?.close();
  });

  const sql = <T = Record<string, unknown>>(text: string, values: unknown[] = []) => own.sql<T>(text, values);
  const reportEvents = (workshopId: string) => readReportEvents(stack.db.url, workshopId);
  const ministryMails = () => stack.smtp.received.filter((m) => m.envelopeTo.some((to) => MINISTRY_EMAILS.includes(to)));

  it('e-mails each ministry its report exactly once, the compile job queued again from the store', async () => {
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

    // The report queue paused: the compile job the reactor queues for the conclusion waits in Redis.
    await queue.pause();
    await stack.http.post(`/api/workshops/${id}/conclude`).set(auth).expect(202);
    const compile = await waitFor(async () => (await queue.getJobs(['paused', 'waiting']))[0], { timeoutMs: 30_000, what: 'the compile job queued' });
    expect(compile.name).toBe('compile');

    // The crash window: the real compile handler records ReportCompiled, and the worker dies before any delivery is queued.
    const compiled = await stack.worker!.get(CompileReportHandler).execute(id, { actor: 'worker', correlationId: compile.data.correlationId, causationId: compile.data.eventId });
    expect(compiled).toMatchObject({ status: 'compiled', countries: expect.arrayContaining(['EG', 'ID', 'KZ', 'ZM']), deliveries: {} });
    await stack.stopWorker();
    expect(await reportEvents(id)).toEqual(['ReportCompiled']);

    // Redis loses everything, the compile job with it; the worker comes back.
    const flusher = new Redis(redis.url);
    try {
      await flusher.flushall();
    } finally {
      flusher.disconnect();
    }
    await stack.startWorker();

    await waitFor(async () => (await reportEvents(id)).filter((e) => e.startsWith('ReportDeliverySent:')).length === 3, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'every ministry e-mailed and recorded',
    });
    await waitFor(async () => Object.values(await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized')).every((n) => n === 0), {
      timeoutMs: 30_000,
      what: 'the report queue drained',
    });
    expect(ministryMails().map((m) => m.envelopeTo[0]).sort()).toEqual([...MINISTRY_EMAILS].sort());
    const events = await reportEvents(id);
    expect(events.filter((e) => e === 'ReportCompiled')).toHaveLength(1);
    expect(events.filter((e) => e.startsWith('ReportDeliverySent:')).sort()).toEqual(['ReportDeliverySent:EG', 'ReportDeliverySent:ID', 'ReportDeliverySent:ZM']);
    expect(events).toContain('ReportDeliveryFailed:KZ');

    // The reconciler queued the compile job again, once, and said so.
    const findings = logs.of('Reconciler').filter((line) => line.kind === 'report-compile');
    expect(findings).toEqual([expect.objectContaining({ level: 40, id, jobId: compile.id })]);

    // Every country now has its delivery (KZ's failed for want of a contact): no longer due, nothing queued again.
    expect(await sql(DUE_REPORT_COMPILES_SQL, [reportStream(''), REPORT_REACTOR])).toEqual([]);
    const pass = await waitFor(() => stack.worker!.get(ReconcileTimer).runPass(), { what: 'a pass that ran' });
    expect(pass).toMatchObject({ ran: true, requeued: { 'report-compile': 0, 'report-delivery': 0 } });
    expect(ministryMails()).toHaveLength(MINISTRY_EMAILS.length);
  });
});
