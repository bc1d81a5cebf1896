import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';

/**
 * The connection a consumer's work runs on, inside the transaction that also moves its checkpoint: the
 * runner's own connection, or a pooled client when the consumer is run elsewhere. Not for the consumer
 * to release.
 */
export type ConsumerTransaction = PoolClient;

/** Something that reads the store in order and keeps its own place (a projection, a reactor). */
export interface EventConsumer {
  /** Unique and stable: the checkpoint and the lock are kept under this name. */
  readonly name: string;
  /** Events per transaction; 500 unless said. */
  readonly batchSize?: number;
  /** Read only events of these stream categories (filtered in the database); the checkpoint moves past the rest. */
  readonly categories?: readonly string[];
  /** Only these events reach `handle`; the checkpoint moves past the others all the same (TypedConsumer derives it from its handlers). */
  filter?(event: StoredEvent): boolean;
  /** `park` (the default): after the retries, set the event aside and go on. `stop`: stop the consumer. */
  readonly onError?: 'park' | 'stop';
  /** Apply events. `tx` is inside the transaction that also moves the checkpoint. */
  handle(events: StoredEvent[], tx: ConsumerTransaction): Promise<void>;
  /** Empty the read model, for a rebuild from position 0. */
  reset?(tx: ConsumerTransaction): Promise<void>;
}

export interface SubscriptionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SubscriptionOptions {
  /** The runner holds its own connection: the lock, the reads and the consumer's transactions go through it. */
  connectionString: string;
  /** Read again this often when nothing woke the runner (NOTIFY or an append in this process). */
  pollIntervalMs?: number;
  /** A runner on standby tries to take the lock this often. */
  lockRetryMs?: number;
  /** Wait this long before connecting again after the connection was lost. */
  reconnectDelayMs?: number;
  /** Attempts per failing event before it is parked (or the consumer stops), with exponential backoff. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  logger?: SubscriptionLogger;
}

export type SubscriptionStatus = 'idle' | 'standby' | 'running' | 'stopped' | 'failed';

export interface ParkedEvent {
  id: number;
  consumer: string;
  position: number;
  eventId: string;
  eventType: string;
  error: string;
  attempts: number;
  parkedAt: Date;
  replayRequested: boolean;
  replayedAt: Date | null;
}
