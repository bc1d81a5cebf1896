import { withoutAddresses } from '@passerelle/platform';
import { mailAttemptFailure, nextRetryDelayMs } from './mail-attempt-failure';
import { TransientMailError } from './once-mailer';

describe('the log line of a failed mail attempt', () => {
  const job = (attemptsMade: number, data: Record<string, unknown> = { invitationId: 'inv-1', eventId: 'evt-1', correlationId: 'corr-1' }) => ({
    queueName: 'invitation-mail',
    name: 'invitation',
    id: 'evt-1',
    data,
    attemptsMade,
    opts: { attempts: 12, backoff: { type: 'exponential', delay: 5000 } },
  });

  it('names the job by its ids and the mail by its key, says attempt n of N and when the next one is', () => {
    const failure = mailAttemptFailure(job(3), new TransientMailError('Cannot reach the mail server: connect ECONNREFUSED 127.0.0.1:1025', 'invitation:inv-1'), Date.parse('2030-01-01T00:00:00Z'));
    expect(failure).toEqual({
      level: 'warn',
      message: 'invitation-mail job "invitation" failed, attempt 3 of 12; next attempt in 20 s',
      fields: {
        queue: 'invitation-mail',
        job: 'invitation',
        jobId: 'evt-1',
        invitationId: 'inv-1',
        eventId: 'evt-1',
        correlationId: 'corr-1',
        mail: 'invitation:inv-1',
        attempt: 3,
        attempts: 12,
        reason: 'Cannot reach the mail server: connect ECONNREFUSED 127.0.0.1:1025',
        nextAttemptInMs: 20000,
        nextAttemptAt: '2030-01-01T00:00:20.000Z',
      },
    });
  });

  it('is an error with no next attempt when the last one failed', () => {
    const failure = mailAttemptFailure(job(12), new Error('451 try later'));
    expect(failure.level).toBe('error');
    expect(failure.message).toBe('invitation-mail job "invitation" failed, attempt 12 of 12: no attempt left, the e-mail is not sent');
    expect(failure.fields).not.toHaveProperty('nextAttemptInMs');
  });

  it('keeps addresses, and job fields that are not ids, out of the line', () => {
    const failure = mailAttemptFailure(
      job(1, { invitationId: 'inv-2', email: 'siti@komdigi.go.id', fullName: 'Siti Rahmawati' }),
      new TransientMailError('Can\'t send mail - all recipients were rejected: 450 4.2.0 <siti@komdigi.go.id>: mailbox busy', 'invitation:inv-2'),
    );
    const line = JSON.stringify(failure);
    expect(line).not.toContain('siti@');
    expect(line).not.toContain('Siti');
    expect(failure.fields.reason).toBe("Can't send mail - all recipients were rejected: 450 4.2.0 <[address]>: mailbox busy");
  });

  it('follows BullMQ backoffs: fixed, exponential, none', () => {
    expect([1, 2, 3, 4].map((n) => nextRetryDelayMs({ type: 'exponential', delay: 100 }, n))).toEqual([100, 200, 400, 800]);
    expect(nextRetryDelayMs({ type: 'fixed', delay: 300 }, 5)).toBe(300);
    expect(nextRetryDelayMs(250, 2)).toBe(250);
    expect(nextRetryDelayMs(undefined, 2)).toBe(0);
  });

  it('strikes addresses wherever the server quotes them', () => {
    expect(withoutAddresses('550 5.1.1 <a.b+x@mail.gov.test>: Recipient address rejected; also c@d.test')).toBe('550 5.1.1 <[address]>: Recipient address rejected; also [address]');
  });
});
