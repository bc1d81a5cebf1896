import { Injectable } from '@nestjs/common';
import { purgeExpiredIdempotencyKeys } from '@passerelle/event-store-postgres';
import { AppConfig } from '../config/app-config';
import { EventStorePool } from '../database/event-store.provider';

/** One purge at a time across every worker process of a database: a session advisory lock, tried, never waited for. */
const PURGE_LOCK = "hashtext('passerelle.purge-idempotency-keys')";

export interface IdempotencyKeyPurgePass {
  /** False when another process held the lock: this pass did nothing. */
  ran: boolean;
  deleted: number;
}

/**
 * Deletes the Idempotency-Keys older than IDEMPOTENCY_KEY_HOURS, in batches. Their stored answers may
 * name people (an invitation's answer lists the invitees' addresses), so they are kept no longer than
 * they can be replayed; the store never replays an expired key, whether or not it was deleted yet.
 */
@Injectable()
export class IdempotencyKeyPurge {
  constructor(
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
  ) {}

  async pass(batchSize = 1000): Promise<IdempotencyKeyPurgePass> {
    const client = await this.pool.connect();
    let lockError: Error | undefined;
    try {
      const locked = (await client.query(`SELECT pg_try_advisory_lock(${PURGE_LOCK}) AS locked`)).rows[0].locked as boolean;
      if (!locked) return { ran: false, deleted: 0 };
      try {
        return { ran: true, deleted: await purgeExpiredIdempotencyKeys(client, this.config.IDEMPOTENCY_KEY_HOURS, batchSize) };
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${PURGE_LOCK})`).catch((err: Error) => {
          lockError = err;
        });
      }
    } finally {
      // A connection that may still hold the lock is closed rather than returned to the pool.
      client.release(lockError);
    }
  }
}
