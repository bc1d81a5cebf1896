import type { AppendResult, DomainEvent, EventMetadata, ExpectedVersion, NewEvent, StoredEvent } from './types';

/**
 * What command handling needs of an event store. `Tx` is the adapter's transaction handle (a database
 * client for PostgreSQL): handed to the caller's unit of work, never looked into here.
 */
export interface EventStore<Tx = unknown> {
  /** A stream's events from `fromVersion`, at most `limit` of them (all when null). */
  readStream<E extends DomainEvent = DomainEvent<string, any>>(
    streamId: string,
    fromVersion?: number,
    tx?: Tx,
    limit?: number | null,
  ): Promise<StoredEvent<E>[]>;
  streamVersion(streamId: string, tx?: Tx): Promise<number>;
  append(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion; metadata?: Partial<EventMetadata>; client?: Tx },
  ): Promise<AppendResult>;
  /** Starts many streams in one write; one that exists already fails the whole call with a ConcurrencyError. */
  appendToNewStreams(
    streams: { streamId: string; events: NewEvent[] }[],
    options: { metadata?: Partial<EventMetadata>; client: Tx },
  ): Promise<AppendResult[]>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in a transaction once per (scope, key); a repeat with the same fingerprint returns the
   * first result without running it, a repeat with another fingerprint fails with IdempotencyConflictError.
   */
  idempotent<T>(scope: string, key: string, fingerprint: string, work: (tx: Tx) => Promise<T>): Promise<{ result: T; replayed: boolean }>;
  /** The events of a stream as this process last commanded it, if kept. */
  cachedStream(streamId: string): StoredEvent[] | undefined;
  /** Keeps a stream's events, all of them up to its current version, as just committed. */
  rememberStream(streamId: string, events: StoredEvent[]): void;
  forgetStream(streamId: string): void;
}
