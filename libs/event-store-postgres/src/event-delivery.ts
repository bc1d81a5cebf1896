import { ConsumerStoppedError, describeError, type StoredEvent } from '@passerelle/event-store-core';
import { LeadershipLostError } from './checkpoint';
import { advance, type ConsumerRun } from './consumer-run';
import { BUSY_SAVE_MS, DEFAULT_RETRY } from './subscription-timing';

/**
 * Hands a batch to the consumer in one transaction with the checkpoint. If it fails, the events go one
 * by one, each retried with backoff and then parked (or the consumer stopped), so that one bad event
 * holds back neither the others nor the consumer.
 */
export async function deliverBatch(run: ConsumerRun, events: StoredEvent[]): Promise<void> {
  const { consumer, client, checkpoint } = run;
  const relevant = consumer.filter ? events.filter((event) => consumer.filter!(event)) : events;
  const last = events[events.length - 1].position;
  if (relevant.length === 0) {
    // Nothing for this consumer: move on in memory, and store the checkpoint now and then (and when idle).
    if (checkpoint.age() > BUSY_SAVE_MS) await checkpoint.save(client, last);
    advance(run, last);
    return;
  }
  try {
    await checkpoint.transaction(client, async () => {
      await consumer.handle(relevant, client);
      await checkpoint.save(client, last);
    });
    advance(run, last);
    return;
  } catch (err) {
    if (err instanceof LeadershipLostError) throw err;
    run.options.logger?.warn(`${consumer.name}: batch up to ${last} failed (${describeError(err)}); going event by event`);
  }
  const wanted = new Set(relevant);
  for (const event of events) {
    if (run.signal.stopping) return;
    await deliverOne(run, event, wanted.has(event));
  }
}

async function deliverOne(run: ConsumerRun, event: StoredEvent, relevant: boolean): Promise<void> {
  const { consumer, client, checkpoint } = run;
  const attempts = run.options.retry?.attempts ?? DEFAULT_RETRY.attempts;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await checkpoint.transaction(client, async () => {
        if (relevant) await consumer.handle([event], client);
        await checkpoint.save(client, event.position);
      });
      advance(run, event.position);
      return;
    } catch (err) {
      if (err instanceof LeadershipLostError) throw err;
      if (attempt < attempts) {
        run.runner.emit('retrying', { event, attempt, error: err });
        await run.signal.sleep(backoff(run, attempt));
        if (run.signal.stopping) return;
        continue;
      }
      if (consumer.onError === 'stop') throw new ConsumerStoppedError(consumer.name, event.position, err);
      await park(run, event, err, attempts);
      return;
    }
  }
}

/** Sets a failing event aside in the dead-letter table, where it waits for a replay, and moves on. */
async function park(run: ConsumerRun, event: StoredEvent, error: unknown, attempts: number): Promise<void> {
  const { consumer, client, checkpoint } = run;
  await checkpoint.transaction(client, async () => {
    await client.query(
      `INSERT INTO subscription_dead_letters (consumer, position, event_id, event_type, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (consumer, position) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts,
         parked_at = now(), replayed_at = NULL, replay_requested = false`,
      [consumer.name, event.position, event.id, event.type, describeError(error), attempts],
    );
    await checkpoint.save(client, event.position);
  });
  advance(run, event.position);
  run.options.logger?.error(`${consumer.name}: parked ${event.type} at ${event.position}: ${describeError(error)}`);
  run.runner.emit('parked', { event, error });
}

function backoff(run: ConsumerRun, attempt: number): number {
  const base = run.options.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = run.options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  return Math.min(max, base * 2 ** (attempt - 1));
}
