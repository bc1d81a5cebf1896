import { withoutAddresses } from '@passerelle/platform';
import { TransientMailError } from './once-mailer';

/** What a failed attempt of a mail job tells about itself (BullMQ's Job, as its `failed` event gives it). */
export interface FailedMailJob {
  queueName: string;
  name: string;
  id?: string;
  data: unknown;
  /** Attempts made, the failed one included. */
  attemptsMade: number;
  opts: { attempts?: number; backoff?: number | { type: string; delay?: number } };
}

export interface MailAttemptFailure {
  level: 'warn' | 'error';
  fields: Record<string, string | number>;
  message: string;
}

/**
 * The log line of a failed mail job attempt: which one (the ids its job carries, and the mail's ledger
 * key), attempt n of N, and when the next one is due. Never an address or a name: jobs carry ids only,
 * and addresses are struck from the server's answer.
 */
export function mailAttemptFailure(job: FailedMailJob, err: Error, now = Date.now()): MailAttemptFailure {
  const attempts = job.opts.attempts ?? 1;
  const attempt = job.attemptsMade;
  const fields: Record<string, string | number> = { queue: job.queueName, job: job.name, ...idsOf(job.data) };
  if (job.id) fields.jobId = job.id;
  if (err instanceof TransientMailError && err.mailKey) fields.mail = err.mailKey;
  fields.attempt = attempt;
  fields.attempts = attempts;
  fields.reason = withoutAddresses(err.message);
  const what = `${job.queueName} job "${job.name}" failed, attempt ${attempt} of ${attempts}`;
  const delay = attempt < attempts ? nextRetryDelayMs(job.opts.backoff, attempt) : undefined;
  if (delay === undefined) return { level: 'error', fields, message: `${what}: no attempt left, the e-mail is not sent` };
  fields.nextAttemptInMs = delay;
  fields.nextAttemptAt = new Date(now + delay).toISOString();
  return { level: 'warn', fields, message: `${what}; next attempt in ${seconds(delay)}` };
}

/** BullMQ's built-in backoffs: `fixed` waits `delay`, `exponential` doubles it after each attempt. */
export function nextRetryDelayMs(backoff: FailedMailJob['opts']['backoff'], attemptsMade: number): number {
  if (backoff === undefined) return 0;
  if (typeof backoff === 'number') return backoff;
  const delay = backoff.delay ?? 0;
  return backoff.type === 'exponential' ? Math.round(2 ** (attemptsMade - 1) * delay) : delay;
}

/** The string fields of a job named `...Id` (jobs carry ids only). */
function idsOf(data: unknown): Record<string, string> {
  if (!data || typeof data !== 'object') return {};
  return Object.fromEntries(Object.entries(data).filter(([key, value]) => /Id$/.test(key) && typeof value === 'string'));
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
