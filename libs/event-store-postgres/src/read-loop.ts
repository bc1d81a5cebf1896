import type { StoredEvent } from '@passerelle/event-store-core';
import { advance, type ConsumerRun } from './consumer-run';
import { deliverBatch } from './event-delivery';
import type { SubscriptionRequests } from './subscription-requests';
import { BUSY_SAVE_MS, DEFAULT_BATCH_SIZE, DEFAULT_POLL_INTERVAL_MS, HELD_FIRST_LOOK_MS, HELD_MAX_DOUBLINGS, IDLE_SAVE_MS } from './subscription-timing';

/**
 * While the runner holds the lock: serve requests, read the next batch, hand it over, and wait for a
 * wake-up or the next poll; the checkpoint is stored with each batch handled, and now and then when
 * the runner only moves past other categories' events.
 */
export async function readLoop(run: ConsumerRun, requests: SubscriptionRequests): Promise<void> {
  const { client, checkpoint, signal, runner } = run;
  const batchSize = run.consumer.batchSize ?? DEFAULT_BATCH_SIZE;
  const pollInterval = run.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let held = 0;
  while (!signal.stopping) {
    signal.clear();
    await requests.serveIfDue(run);
    signal.lastReadAt = Date.now();
    const { events, readTo, beyond } = await readBatch(run, batchSize);
    if (events.length > 0) {
      held = 0;
      const last = events[events.length - 1].position;
      await deliverBatch(run, events);
      if (runner.position !== last || readTo <= runner.position) continue;
    }
    if (readTo > runner.position) {
      // Everything of this consumer's categories below the bound has been read: move past the rest.
      if (checkpoint.age() > BUSY_SAVE_MS) await checkpoint.save(client, readTo);
      advance(run, readTo);
    }
    // Written but not yet readable: an older transaction is still open somewhere. Look again soon,
    // since its end may send no NOTIFY (it may not be an append, or be in another database).
    held = (beyond ?? (await anythingBeyond(run))) ? held + 1 : 0;
    const wait = held > 0 ? Math.min(pollInterval, HELD_FIRST_LOOK_MS * 2 ** Math.min(held, HELD_MAX_DOUBLINGS)) : pollInterval;
    if (checkpoint.saved !== runner.position && checkpoint.age() >= BUSY_SAVE_MS) await checkpoint.save(client, runner.position);
    if (checkpoint.saved === runner.position) {
      await signal.waitForWake(wait);
    } else if (!(await signal.waitForWake(Math.min(wait, IDLE_SAVE_MS)))) {
      // Nothing new for a moment: store how far the consumer is, then wait on.
      await checkpoint.save(client, runner.position);
      await signal.waitForWake(Math.max(0, wait - IDLE_SAVE_MS));
    }
  }
}

/**
 * The next batch, and for consumers of some categories how far that read covers and whether events
 * lie beyond it (not yet readable).
 */
async function readBatch(run: ConsumerRun, batchSize: number): Promise<{ events: StoredEvent[]; readTo: number; beyond?: boolean }> {
  const { store, consumer, client, runner } = run;
  if (!consumer.categories) return { events: await store.readAll(runner.position, batchSize, client), readTo: 0 };
  const { events, bound, beyond } = await store.readCategories(runner.position, batchSize, [...consumer.categories], client);
  return { events, readTo: events.length < batchSize ? bound - 1 : 0, beyond };
}

/** Whether any event lies after this consumer's position (for consumers of every category, which read without a bound). */
async function anythingBeyond(run: ConsumerRun): Promise<boolean> {
  // In position order with a limit, so PostgreSQL walks the primary key from this position instead of
  // scanning the table from its start (as it chose to for an EXISTS, at 1 ms and more per look).
  const next = await run.client.query('SELECT position FROM events WHERE position > $1 ORDER BY position LIMIT 1', [run.runner.position]);
  return next.rows.length > 0;
}
