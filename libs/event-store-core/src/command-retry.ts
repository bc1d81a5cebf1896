import { ConcurrencyError, PreconditionFailedError } from './errors';
import type { CommandOptions } from './command-options';
import type { EventStore } from './store';

/** Attempts at a command when concurrent appends keep winning the race, unless `maxAttempts` says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** The pause before attempt n+1 is random, up to n times this. */
const RETRY_JITTER_MS = 5;

/**
 * The versions the client said it expects (If-Match), by stream, as an attempt declares them: when a
 * concurrent append wins the race, these say whether the client's precondition still holds.
 */
export type Preconditions = Map<string, number>;

/**
 * The one retry and error mapping of every command. A concurrent append that wins the race
 * (ConcurrencyError) makes the command start again, a few times, unless the client named the version it
 * expects and the stream is no longer there: that is a PreconditionFailedError (412), never retried
 * (DESIGN.md principle 5). A race lost over and over is the ConcurrencyError (409).
 */
export async function withCommandRetries<Tx, T>(
  store: EventStore<Tx>,
  options: Pick<CommandOptions, 'maxAttempts'>,
  attempt: (attemptNumber: number, preconditions: Preconditions) => Promise<T>,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const preconditions: Preconditions = new Map();
    try {
      return await attempt(attemptNumber, preconditions);
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      for (const [streamId, expected] of preconditions) {
        const actual = await store.streamVersion(streamId);
        if (actual !== expected) throw new PreconditionFailedError(streamId, expected, actual);
      }
      if (attemptNumber >= maxAttempts) throw err;
      await delay(Math.random() * RETRY_JITTER_MS * attemptNumber);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
