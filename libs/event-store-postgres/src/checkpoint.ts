import { describeError } from '@passerelle/event-store-core';
import type { ConsumerTransaction } from './subscription.types';

/** The connection is gone, or another runner moved the checkpoint: give up the lock and start over. */
export class LeadershipLostError extends Error {
  constructor(readonly reason: unknown) {
    super(`Subscription connection lost: ${describeError(reason)}`);
  }
}

/**
 * A consumer's stored checkpoint. The runner's position may be ahead of it after batches the consumer
 * had nothing to do with: those moves are stored now and then, not each time.
 */
export class Checkpoint {
  /** The position as stored. */
  saved = 0;
  savedAt = 0;

  constructor(private readonly consumer: string) {}

  /** Moves the stored checkpoint, only from where this runner last stored it: else another runner took over. */
  async save(client: ConsumerTransaction, position: number): Promise<void> {
    const result = await client.query('UPDATE subscription_checkpoints SET position = $2, updated_at = now() WHERE name = $1 AND position = $3', [
      this.consumer,
      position,
      this.saved,
    ]);
    if (result.rowCount !== 1) throw new LeadershipLostError(new Error('the checkpoint was moved by another runner'));
    this.saved = position;
    this.savedAt = Date.now();
  }

  /** Milliseconds since the checkpoint was last stored. */
  age(): number {
    return Date.now() - this.savedAt;
  }

  /**
   * BEGIN ... COMMIT around `work`; a rollback also forgets what `work` stored of the checkpoint. A failed
   * BEGIN or ROLLBACK means the connection is gone.
   */
  async transaction(client: ConsumerTransaction, work: () => Promise<void>): Promise<void> {
    try {
      await client.query('BEGIN');
    } catch (err) {
      throw new LeadershipLostError(err);
    }
    const { saved, savedAt } = this;
    try {
      await work();
      await client.query('COMMIT');
    } catch (err) {
      this.saved = saved;
      this.savedAt = savedAt;
      try {
        await client.query('ROLLBACK');
      } catch {
        throw new LeadershipLostError(err);
      }
      throw err;
    }
  }
}
