import type { Queue } from 'bullmq';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { MetricsRegistry } from '@passerelle/platform';
import { LogLines, waitFor } from '@passerelle/testing';
import { ReconcileTimer } from '../apps/worker/src/reconcile/reconcile.timer';
import type { OwnRedis } from './support/own-redis';
import { type OwnRedisStack, startStackWithOwnRedis } from './support/own-redis-stack';
import type { Stack } from './support/stack';

/**
 * Activation and decision e-mails whose delayed jobs Redis lost (SIGKILLed, started again empty): the
 * reconciler (every second here) queues them again from the store, and each is sent once.
 */
describe('notification e-mails Redis lost, queued again from the store', () => {
  let redis: OwnRedis;
  let stack: Stack;
  let mail: Queue;
  const logs = new LogLines();

  let own: OwnRedisStack;

  beforeAll(async () => {
    own = await startStackWithOwnRedis('reconcile_notify', { env: { RECONCILE_INTERVAL_SECONDS: '1' }, workerLogs: logs });
    ({ redis, stack } = own);
    mail = own.queue(NOTIFICATION_MAIL_QUEUE);
  });

  afterAll(async () => {
    await own?.close();
  });

  const admin = () => ({ Authorization: `Bearer ${stack.token}` });
  const pending = async () => (await mail.getJobs(['delayed', 'waiting', 'active', 'prioritized'])).length;
  const findings = (kind: string) => logs.of('Reconciler').filter((line) => line.kind === kind);

  /** Redis loses everything while `jobPrefix`'s one job waits, delayed; then the mail server comes back. */
  async function loseTheDelayedJob(jobPrefix: string): Promise<void> {
    await waitFor(
      async () => {
        const delayed = await mail.getJobs(['delayed']);
        return delayed.length === 1 && delayed[0].id!.startsWith(jobPrefix) && delayed[0].attemptsMade >= 1;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: `the ${jobPrefix} job delayed after a failed attempt` },
    );
    await redis.kill();
    // Empty on its return: what is queued from now on, the reconciler queued.
    await redis.start();
    await stack.smtp.start();
  }

  /** Sent, nothing left to send, and a later full pass queues nothing more. */
  async function sentOnce(address: string, what: string): Promise<void> {
    await waitFor(() => stack.smtp.to(address).length >= 1, { timeoutMs: 30_000, intervalMs: 100, what });
    await waitFor(async () => (await pending()) === 0, { timeoutMs: 30_000, what: 'no notification job left' });
    await waitFor(async () => (await stack.worker!.get(ReconcileTimer).runPass())?.ran === true, { what: 'a pass after the e-mail' });
    expect(await pending()).toBe(0);
    expect(stack.smtp.to(address)).toHaveLength(1);
  }

  it('sends, once, the activation e-mail of a contact registered while the mail server was down, after Redis lost its job', async () => {
    await stack.smtp.stop();
    const contact = { fullName: 'Awa Diop', email: 'awa.lost@ucad.sn.test', language: 'fr' };
    await stack.http.post('/api/partner-institutions').set(admin()).send({ name: 'Université de Dakar', country: 'SN', contact }).expect(201);
    await loseTheDelayedJob('account-activation.');
    expect(findings('account-activation-mail')).toEqual([]);

    await sentOnce(contact.email, 'the activation e-mail');
    expect(stack.smtp.to(contact.email)[0].parsed.subject).toBe('Activez votre compte Passerelle pour Université de Dakar');
    const found = findings('account-activation-mail');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: 40, jobId: expect.stringMatching(/^account-activation\./), dueSince: expect.any(String) });
    const metric = await stack.worker!.get(MetricsRegistry).getSingleMetricAsString('reconciled_jobs_total');
    expect(metric).toContain('reconciled_jobs_total{kind="account-activation-mail"} 1');
  });

  it('sends, once, a proposal decision e-mailed while the mail server was down, after Redis lost its job', async () => {
    const email = 'moussa.lost@ucad.sn.test';
    await stack.http.post('/api/partner-institutions').set(admin()).send({ name: 'Université Gaston Berger', country: 'SN', contact: { fullName: 'Moussa Sow', email, language: 'en' } }).expect(201);
    await waitFor(() => stack.smtp.to(email).length === 1, { timeoutMs: 20_000, what: 'the activation e-mail' });
    const token = /\/activate\/([A-Za-z0-9_-]{43})/.exec(stack.smtp.to(email)[0].parsed.text ?? '')![1];
    await stack.http.post('/api/auth/activate').send({ token, password: 'partner-password-123' }).expect(200);
    const login = await stack.http.post('/api/auth/login').send({ email, password: 'partner-password-123' }).expect(200);
    const partner = { Authorization: `Bearer ${login.body.accessToken}` };
    const created = await stack.http
      .post('/api/proposals')
      .set(partner)
      .send({ title: 'Solar clinics', summary: 'Rural clinics', sectors: ['healthcare'], countries: ['SN'], durationMonths: 12, budget: { amount: 50000, currency: 'USD' } })
      .expect(201);
    await stack.http.post(`/api/proposals/${created.body.id}/submit`).set(partner).expect(200);
    await waitFor(async () => (await pending()) === 0, { what: 'no notification job pending' });

    await stack.http.post(`/api/proposals/${created.body.id}/conflict-declarations`).set(admin()).send({ conflict: false }).expect(201);
    await stack.smtp.stop();
    await stack.http.post(`/api/proposals/${created.body.id}/reject`).set(admin()).send({ reason: 'Out of scope' }).expect(200);
    await loseTheDelayedJob('proposal-decision.');
    expect(findings('proposal-decision-mail')).toEqual([]);

    // The activation e-mail, sent before, is not sent again: its ledger row holds it.
    await waitFor(() => stack.smtp.to(email).length >= 2, { timeoutMs: 30_000, intervalMs: 100, what: 'the decision e-mail' });
    await waitFor(async () => (await pending()) === 0, { timeoutMs: 30_000, what: 'no notification job left' });
    await waitFor(async () => (await stack.worker!.get(ReconcileTimer).runPass())?.ran === true, { what: 'a pass after the e-mail' });
    const received = stack.smtp.to(email);
    expect(received).toHaveLength(2);
    expect(received[1].parsed.text).toContain('Out of scope');
    const found = findings('proposal-decision-mail');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ jobId: expect.stringMatching(/^proposal-decision\./) });
    expect(findings('account-activation-mail')).toHaveLength(1);
  });
});
