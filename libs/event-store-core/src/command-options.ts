import type { EventMetadata, StoredEvent } from './types';

export interface CommandOptions {
  metadata?: Partial<EventMetadata>;
  /** The version the caller last saw (HTTP If-Match); a different current version fails with 412. */
  expectedVersion?: number;
  /** Apply the command once per key; a repeat with the same fingerprint returns the first result. */
  idempotency?: { scope: string; key: string; fingerprint: string };
  /** Attempts when a concurrent append wins the race (and the caller's If-Match, if any, still holds). */
  maxAttempts?: number;
  /** The stream's events as the caller just read them: the first attempt decides on these instead of reading again. */
  loaded?: StoredEvent[];
}

/** What a command changed on one stream. */
export interface StreamChange {
  streamId: string;
  version: number;
  position: number;
  /** The events this command appended (empty when it changed nothing, or when replayed). */
  events: Pick<StoredEvent, 'id' | 'type' | 'version' | 'position' | 'data'>[];
}

export interface CommandResult extends StreamChange {
  /** True when an idempotency key matched and the first result was returned. */
  replayed: boolean;
}
