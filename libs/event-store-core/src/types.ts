/** Who did it, and which request and event led to it. Stored with every event. */
export interface EventMetadata {
  actor: string | null;
  correlationId: string;
  causationId: string | null;
  [key: string]: unknown;
}

/** A domain event as deciders produce it: a fixed type string and plain data. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
}

/** An event handed to `append`. */
export interface NewEvent<TData = unknown> extends DomainEvent<string, TData> {
  /** Defaults to a random UUID. */
  id?: string;
  /** The version of the data's shape; defaults to 1. */
  schemaVersion?: number;
  metadata?: Partial<EventMetadata>;
}

/** Where and when an event was stored: what reading it back adds to the event itself. */
export interface StoredEventRecord {
  id: string;
  streamId: string;
  /** The part of the stream id before its first '-': `proposal` for `proposal-42`. */
  category: string;
  version: number;
  /** Global position: strictly increasing in commit-safe reading order. */
  position: number;
  schemaVersion: number;
  metadata: EventMetadata;
  recordedAt: Date;
  /** The data subjects this event names (ids only), when it has personal fields. */
  subjectIds?: readonly string[];
  /** True when a personal field of this event read as `[erased]`: its subject's key is destroyed. */
  personalDataErased?: boolean;
}

/**
 * An event as read back from the store, upcast to its current shape. `E` is the union of the events the
 * reader expects: a switch on `type` narrows `data`. Without it, any type and untyped data.
 */
export type StoredEvent<E extends DomainEvent = DomainEvent<string, any>> = E & StoredEventRecord;

/**
 * What the writer believes the stream's current version is:
 * a number (0 for an empty stream), `no_stream`, or `any` (no check).
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append (the last event's version). */
  version: number;
  /** The global position of the last event appended. */
  position: number;
  events: StoredEvent[];
}
