import { Queue } from 'bullmq';
import { queueConnection } from '@passerelle/platform';
import { REPORT_QUEUE } from '@passerelle/reporting';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { dumpRedis, withDecodedBase64 } from './support/redis-dump';
import { queryRows } from './support/sql';
import { openedEvents } from './support/opened-events';
import { type Stack, startStack } from './support/stack';

const MAIL_ATTEMPTS = 3;
const DAY = 24 * 3600;
/** The retention of every job queued for an event, as before: completed kept 30 days, failed 90. */
const RETENTION = { removeOnComplete: { age: 30 * DAY }, removeOnFail: { age: 90 * DAY } };

/** Who the mail server accepts, refuses for good (550), refuses once then accepts (450), or always refuses for now (450). */
const participants = [
  { fullName: 'Amaru Quispe Mamani', email: 'amaru.quispe@mintel.gob.test', country: 'EG' },
  { fullName: 'Nomvula Dlamini-Khoza', email: 'nomvula.dlamini@dtps.gov.test', country: 'ZM' },
  { fullName: 'Oyelaran Adebayo', email: 'refused.oyelaran@ncc.gov.test', country: 'ZM' },
  { fullName: 'Thandiwe Mwansa-Phiri', email: 'later.thandiwe@zicta.gov.test', country: 'ZM' },
  { fullName: 'Bolormaa Tserendorj', email: 'never.bolormaa@crc.gov.test', country: 'EG' },
].map((p) => ({ ...p, organization: 'Ministry', language: 'en' }));
const contact = { fullName: 'Ximena Araucaria Llanquileo', email: 'later.ximena@uchile.cl.test', language: 'es' };
const ministries = {
  EG: { ministryName: 'Ministry of Communications and Information Technology', email: 'refused.ai@mcit.gov.eg', language: 'en' },
  ZM: { ministryName: 'Ministry of Technology and Science', email: 'later.ict@mots.gov.zm', language: 'en' },
};
const QUEUES = ['invitation-mail', 'invitation-reminders', 'reminders', 'notification-mail', REPORT_QUEUE];

/**
 * What the queues keep in Redis names no one: job data, names and ids carry ids, return values and
 * failure reasons (the mail server's answer quotes the recipient) carry no address or name, and the
 * reasons the events keep forever (a bounce, a refused report) have the address struck out too.
 */
describe('what the job queues keep in Redis', () => {
  let stack: Stack;
  let prefix: string;
  const queues = new Map<string, Queue>();
  const auth = () => ({ Authorization: `Bearer ${stack.token}` });

  beforeAll(async () => {
    stack = await startStack('job_ids_only', {
      env: { MAIL_ATTEMPTS: String(MAIL_ATTEMPTS) },
      smtp: {
        refuseRecipient: (address) => {
          const answer = { text: `5.1.1 <${address}>: Recipient address rejected` };
          if (address.startsWith('refused.')) return { code: 550, ...answer };
          if (address.startsWith('never.') || (address.startsWith('later.') && stack.smtp.recipientAttempts.get(address)! <= 1)) {
            return { code: 450, text: `4.2.0 <${address}>: Recipient address rejected: try again later` };
          }
          return null;
        },
      },
    });
    const connection = queueConnection(TEST_REDIS_URL, new URL(stack.db.url).pathname.slice(1));
    prefix = connection.prefix;
    for (const name of QUEUES) queues.set(name, new Queue(name, connection));
  });

  afterAll(async () => {
    for (const queue of queues.values()) await queue.close();
    await stack?.close();
  });

  const counts = async (name: string) => queues.get(name)!.getJobCounts('waiting', 'active', 'delayed', 'paused', 'completed', 'failed');
  /** No job waiting, running or due to run again (the reminder sweeps' queue always holds its scheduler's next run). */
  const idle = async () => (await Promise.all(QUEUES.filter((q) => q !== 'invitation-reminders').map(counts))).every((c) => c.waiting + c.active + c.delayed + c.paused === 0);

  it('names no participant, contact or ministry in any key or value under the queue prefix, and keeps finished jobs as long as before', async () => {
    // Invitations: accepted, refused for good, refused once then accepted, refused until no attempt is left.
    const workshop = await stack.http
      .post('/api/workshops')
      .set(auth())
      .send({ title: 'Digital public services', hostInstitution: 'Institute', city: 'Shanghai', country: 'CN', startsOn: '2030-10-23', endsOn: '2030-10-25', themes: ['healthcare'] })
      .expect(201);
    const id = workshop.body.id as string;
    await stack.http.post(`/api/workshops/${id}/open-registration`).set(auth()).expect(200);
    for (const [country, ministry] of Object.entries(ministries)) await stack.http.put(`/api/ministries/${country}`).set(auth()).send(ministry).expect(200);
    await stack.http.post(`/api/workshops/${id}/invitations`).set(auth()).send({ participants }).expect(202);
    // An activation e-mail to a partner contact, refused once then accepted.
    await stack.http.post('/api/partner-institutions').set(auth()).send({ name: 'Universidad de Chile', country: 'CL', contact }).expect(201);

    const invitationMail = queues.get('invitation-mail')!;
    await waitFor(async () => (await counts('invitation-mail')).failed === 1 && (await idle()), { timeoutMs: 30_000, what: 'the invitations sent, bounced or failed for good' });
    await waitFor(() => stack.smtp.to(contact.email).length === 1, { timeoutMs: 30_000, what: 'the activation e-mail, on its second attempt' });
    // A report: refused for good by one ministry (EG), refused once then sent to the other (ZM).
    await stack.http.post(`/api/workshops/${id}/start`).set(auth()).expect(200);
    await stack.http.post(`/api/workshops/${id}/conclude`).set(auth()).expect(202);
    const report = await waitFor(
      async () => {
        const body = (await stack.http.get(`/api/workshops/${id}/report`).set(auth()).expect(200)).body;
        return body.deliveries.length === 2 && body.deliveries.every((d: { status: string }) => d.status !== 'queued') ? body : null;
      },
      { timeoutMs: 60_000, what: 'both deliveries recorded' },
    );
    await waitFor(idle, { timeoutMs: 30_000, what: 'every queue idle' });

    // Every key under the queue prefix, every value read whole.
    const dumped = await dumpRedis(TEST_REDIS_URL, `${prefix}*`);
    expect(dumped.map((k) => k.key)).toEqual(expect.arrayContaining([`${prefix}:invitation-mail:events`, `${prefix}:invitation-mail:failed`, `${prefix}:report:completed`]));
    const personal = [
      ...participants.flatMap((p) => [p.email, p.fullName]),
      contact.email,
      contact.fullName,
      ...Object.values(ministries).flatMap((m) => [m.email, m.ministryName]),
    ];
    // Each name or address found, and the keys (less the prefix) that hold it: none.
    const found: Record<string, string[]> = {};
    for (const { key, texts } of dumped) {
      const text = withDecodedBase64(texts).join('\n').toLowerCase();
      for (const needle of personal) {
        if (text.includes(needle.toLowerCase()) || text.includes(Buffer.from(needle).toString('base64').toLowerCase())) (found[needle] ??= []).push(key.slice(prefix.length));
      }
    }
    expect(found).toEqual({});
    const haystack = withDecodedBase64(dumped.flatMap((k) => k.texts)).join('\n').toLowerCase();
    expect(haystack).not.toMatch(/[a-z0-9._-]+@[a-z0-9-]+\.[a-z.]+/);
    expect(haystack).toContain('[address]'); // the failure reasons were read

    // The reasons shown and kept: the server's answer, the address struck out.
    const bounced = await stack.http.get(`/api/workshops/${id}/invitations?status=bounced`).set(auth()).expect(200);
    expect(bounced.body.items).toEqual([expect.objectContaining({ email: 'refused.oyelaran@ncc.gov.test', bounceReason: expect.stringContaining('550 5.1.1 <[address]>: Recipient address rejected') })]);
    expect(stack.smtp.to('later.thandiwe@zicta.gov.test')).toHaveLength(1);
    // The job that ran out of attempts failed as a temporary refusal, its reason kept without the address.
    const [failed] = await invitationMail.getJobs(['failed']);
    expect(failed.attemptsMade).toBe(MAIL_ATTEMPTS);
    expect(failed.failedReason).toContain('450 4.2.0 <[address]>: Recipient address rejected: try again later');
    expect((failed.stacktrace ?? []).join('\n')).toContain('TransientMailError');

    expect(report.deliveries.find((d: { country: string }) => d.country === 'EG')).toMatchObject({ status: 'failed', reason: expect.stringContaining('550 5.1.1 <[address]>: Recipient address rejected') });
    expect(report.deliveries.find((d: { country: string }) => d.country === 'ZM')).toMatchObject({ status: 'sent' });
    // The reasons the events keep forever, and the mail ledger's, hold no address.
    const reasons = (await openedEvents(stack, ['InvitationBounced', 'ReportDeliveryFailed'])).map((e) => ({ type: e.type, reason: e.data.reason as string }));
    expect(reasons.map((r) => r.type).sort()).toEqual(['InvitationBounced', 'ReportDeliveryFailed']);
    for (const { reason } of reasons) expect(reason).toMatch(/^.*550 5\.1\.1 <\[address\]>: Recipient address rejected$/);
    const details = await queryRows<{ detail: string }>(stack.db.url, 'SELECT detail FROM mail_ledger WHERE detail IS NOT NULL');
    expect(details.length).toBeGreaterThan(0);
    for (const { detail } of details) expect(detail).not.toContain('@');

    // Finished jobs kept as before: each with the same retention, none removed early.
    const finished = await Promise.all(QUEUES.map(async (name) => [name, await counts(name)] as const));
    const byQueue = Object.fromEntries(finished.map(([name, c]) => [name, { completed: c.completed, failed: c.failed }]));
    expect(byQueue['invitation-mail']).toEqual({ completed: participants.length - 1, failed: 1 });
    expect(byQueue['notification-mail']).toEqual({ completed: 1, failed: 0 });
    expect(byQueue[REPORT_QUEUE].completed).toBeGreaterThanOrEqual(1);
    expect(byQueue[REPORT_QUEUE].failed).toBe(0);
    for (const name of ['invitation-mail', 'notification-mail', REPORT_QUEUE]) {
      for (const job of await queues.get(name)!.getJobs(['completed', 'failed'])) expect(job.opts).toMatchObject(RETENTION);
    }
  });
});
