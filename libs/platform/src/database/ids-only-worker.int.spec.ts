import { randomUUID } from 'node:crypto';
import { type Job, Queue, QueueEvents, UnrecoverableError } from 'bullmq';
import { TEST_REDIS_URL, waitFor } from '@passerelle/testing';
import { IdsOnlyWorker, withoutAddressesIn } from './ids-only-worker';
import { queueConnection } from './queue-connection';

class BusyServer extends Error {
  constructor(
    message: string,
    readonly mailKey: string,
  ) {
    super(message);
    this.name = 'BusyServer';
  }
}

describe('IdsOnlyWorker (real Redis, a queue prefix of its own)', () => {
  const { connection, prefix } = queueConnection(TEST_REDIS_URL, `ids_only_${randomUUID().slice(0, 8)}`);
  const queue = new Queue('q', { connection, prefix });
  const seen: Error[] = [];
  const worker = new IdsOnlyWorker(
    'q',
    async (job: Job) => {
      if (job.name === 'busy') throw new BusyServer('450 4.2.0 <ana.lima@gov.test>: try later', 'mail:1');
      if (job.name === 'gone') throw new UnrecoverableError('550 5.1.1 <ana.lima@gov.test>: no such user');
      if (job.name === 'thrown-text') throw 'refused <ana.lima@gov.test>';
      return 'sent to ana.lima@gov.test';
    },
    { connection, prefix },
  );
  worker.on('failed', (_job, err) => seen.push(err));

  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });

  const finished = (id: string) => waitFor(async () => {
    const job = await queue.getJob(id);
    return job && (job.finishedOn ? job : null);
  }, { what: `job ${id} finished` });

  it('keeps addresses out of failure reasons and stack traces, and keeps the error class: retried, or failed at once when unrecoverable', async () => {
    await queue.add('busy', { id: 'x' }, { jobId: 'busy', attempts: 2 });
    await queue.add('gone', { id: 'y' }, { jobId: 'gone', attempts: 3 });
    await queue.add('thrown-text', { id: 'z' }, { jobId: 'thrown-text' });
    const busy = await finished('busy');
    expect(busy.attemptsMade).toBe(2);
    expect(busy.failedReason).toBe('450 4.2.0 <[address]>: try later');
    expect(busy.stacktrace).toHaveLength(2);
    for (const trace of busy.stacktrace ?? []) expect(trace).toMatch(/^BusyServer: 450 4\.2\.0 <\[address\]>: try later\n/);
    const gone = await finished('gone');
    expect(gone.attemptsMade).toBe(1);
    expect(gone.failedReason).toBe('550 5.1.1 <[address]>: no such user');
    expect((await finished('thrown-text')).failedReason).toBe('refused <[address]>');
    // The listeners get the error itself, its class and fields kept.
    const busyError = seen.find((err) => err instanceof BusyServer) as BusyServer;
    expect(busyError.mailKey).toBe('mail:1');
    expect(seen.some((err) => err instanceof UnrecoverableError)).toBe(true);
  });

  it('keeps addresses out of a returned text', async () => {
    await queue.add('ok', { id: 'w' }, { jobId: 'ok' });
    expect((await finished('ok')).returnvalue).toBe('sent to [address]');
  });
});

describe('withoutAddressesIn', () => {
  it('strikes addresses out of the message, stack, text fields and cause of the same error', () => {
    const cause = new Error('RCPT <b@c.test> refused');
    const err = Object.assign(new Error('Cannot send to a@b.test', { cause }), { response: '550 <a@b.test>', rejected: ['a@b.test'], responseCode: 550 });
    expect(withoutAddressesIn(err)).toBe(err);
    expect(err).toMatchObject({ message: 'Cannot send to [address]', response: '550 <[address]>', rejected: ['[address]'], responseCode: 550 });
    expect(err.stack).not.toContain('@');
    expect(cause.message).toBe('RCPT <[address]> refused');
  });
});
