import { describeError } from '@passerelle/event-store-core';
import { LeadershipLostError } from './checkpoint';
import type { ConsumerRun } from './consumer-run';
import { toPosition } from './event-rows';
import { REQUEST_CHECK_INTERVAL_MS } from './subscription-timing';

/**
 * Rebuild and replay requests, made from any process through the checkpoint and dead-letter tables
 * (see subscription-admin.ts), and served by the runner holding the consumer's lock.
 */
export class SubscriptionRequests {
  /** A NOTIFY arrived (or a request was made here): look at the requests. */
  private pending = true;
  private checkedAt = 0;

  markPending(): void {
    this.pending = true;
  }

  /** Looks for requests if one was announced, or if none was looked for in a while. */
  async serveIfDue(run: ConsumerRun): Promise<void> {
    if (this.pending || Date.now() - this.checkedAt > REQUEST_CHECK_INTERVAL_MS) await this.serve(run);
  }

  private async serve(run: ConsumerRun): Promise<void> {
    this.pending = false;
    this.checkedAt = Date.now();
    const found = await run.client.query(
      `SELECT c.rebuild_requested,
         coalesce((SELECT array_agg(d.id ORDER BY d.id) FROM subscription_dead_letters d
                   WHERE d.consumer = c.name AND d.replay_requested AND d.replayed_at IS NULL), '{}') AS replays
       FROM subscription_checkpoints c WHERE c.name = $1`,
      [run.consumer.name],
    );
    const row = found.rows[0];
    if (!row) return;
    if (row.rebuild_requested) await resetForRebuild(run);
    for (const id of row.replays as string[]) await replayParked(run, Number(id));
  }
}

/** Empties the read model and moves the checkpoint back to position 0, in one transaction. */
async function resetForRebuild(run: ConsumerRun): Promise<void> {
  const { consumer, client, checkpoint } = run;
  if (!consumer.reset) {
    run.options.logger?.error(`${consumer.name}: cannot rebuild, the consumer has no reset`);
    await client.query('UPDATE subscription_checkpoints SET rebuild_requested = false WHERE name = $1', [consumer.name]);
    return;
  }
  await checkpoint.transaction(client, async () => {
    await consumer.reset!(client);
    await client.query('DELETE FROM subscription_dead_letters WHERE consumer = $1', [consumer.name]);
    await client.query('UPDATE subscription_checkpoints SET position = 0, rebuild_requested = false, updated_at = now() WHERE name = $1', [consumer.name]);
  });
  run.runner.position = 0;
  checkpoint.saved = 0;
  checkpoint.savedAt = Date.now();
  run.options.logger?.log(`${consumer.name}: read model reset, replaying from position 0`);
  run.runner.emit('rebuilt');
}

/** Hands a parked event to the consumer again; if it fails again it stays parked. */
async function replayParked(run: ConsumerRun, id: number): Promise<void> {
  const { consumer, client, checkpoint } = run;
  const found = await client.query('SELECT position FROM subscription_dead_letters WHERE id = $1', [id]);
  const event = found.rows[0] ? await run.store.readEventAt(toPosition(found.rows[0].position), client) : null;
  try {
    await checkpoint.transaction(client, async () => {
      if (event) await consumer.handle([event], client);
      await client.query('UPDATE subscription_dead_letters SET replayed_at = now(), replay_requested = false WHERE id = $1', [id]);
    });
    run.runner.emit('replayed', id);
  } catch (err) {
    if (err instanceof LeadershipLostError) throw err;
    await client.query('UPDATE subscription_dead_letters SET replay_requested = false, attempts = attempts + 1, error = $2 WHERE id = $1', [
      id,
      describeError(err),
    ]);
    run.runner.emit('replay-failed', { id, error: err });
  }
}
