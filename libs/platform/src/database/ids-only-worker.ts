import { type Job, Worker } from 'bullmq';
import { withoutAddresses } from '../privacy/without-addresses';

/**
 * The BullMQ worker every processor runs in (set as `BullModule.workerClass` by the worker app). Jobs
 * carry ids only; what a run leaves in Redis must not bring an address back: a processor's error (kept
 * as the job's failedReason and stacktrace for 90 days, and in the queue's event stream) and its
 * return value are stripped of e-mail addresses here, once for every queue. The error object itself
 * is kept (its class, name and fields), so retries, backoff and `instanceof` checks work as before.
 */
export class IdsOnlyWorker<DataType = unknown, ResultType = unknown, NameType extends string = string> extends Worker<DataType, ResultType, NameType> {
  protected override async callProcessJob(job: Job<DataType, ResultType, NameType>, token: string, signal?: AbortSignal): Promise<ResultType> {
    let result: ResultType;
    try {
      result = await super.callProcessJob(job, token, signal);
    } catch (err) {
      throw withoutAddressesIn(err);
    }
    return (typeof result === 'string' ? withoutAddresses(result) : result) as ResultType;
  }
}

/** The same error, its message, stack and other text fields stripped of addresses (a non-Error becomes one). */
export function withoutAddressesIn(err: unknown, depth = 0): Error {
  if (!(err instanceof Error)) return new Error(withoutAddresses(String(err)));
  err.message = withoutAddresses(err.message);
  if (err.stack) err.stack = withoutAddresses(err.stack);
  const fields = err as unknown as Record<string, unknown>;
  for (const key of Object.keys(err)) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = withoutAddresses(value);
    else if (Array.isArray(value)) fields[key] = value.map((item) => (typeof item === 'string' ? withoutAddresses(item) : item));
  }
  if (err.cause instanceof Error && depth < 3) withoutAddressesIn(err.cause, depth + 1);
  return err;
}
