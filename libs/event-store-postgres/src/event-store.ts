import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import {
  type AppendResult,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type PersonalDataCodec,
  type StoredEvent,
  UpcasterRegistry,
} from '@passerelle/event-store-core';
import { type AppendedCategories, AppendNotifier } from './append-notifier';
import { type AppendOptions, appendToNewStreams, appendToStream } from './appends';
import { categoryOf, type Queryable } from './event-rows';
import { DEFAULT_IDEMPOTENCY_KEY_HOURS, runOnce } from './idempotency';
import { EventReads } from './reads';
import { StreamCache } from './stream-cache';

export interface EventStoreOptions {
  upcasters?: UpcasterRegistry;
  /** Send a (debounced) NOTIFY after appends so that other processes' subscriptions wake early. */
  notify?: boolean;
  notifyDelayMs?: number;
  /**
   * Streams whose events this process keeps after commanding them (0, the default: none). A command
   * decides on a kept stream without reading it: the append's expected version proves it current, and a
   * refusal is decided again on a fresh read, since another process may have moved the stream on.
   */
  streamCacheSize?: number;
  /** Hours an Idempotency-Key replays its first answer (24, the default); after that the key is new again. */
  idempotencyKeyHours?: number;
  /**
   * Appends with the statement made for each case (true, the default): one event with plain parameters
   * rather than arrays, and an append that is its own transaction without looking for the transaction's
   * earlier appends. False: every append uses the one general statement (arrays, after earlier appends),
   * which is as correct and simpler to reason about. It stays only while `npm run bench:event-store`
   * shows the specialised statements 10% faster (its "specialised vs general appends" comparison).
   */
  specialisedAppends?: boolean;
  /**
   * Seals the personal fields of events as they are appended and opens them as they are read (issue 20).
   * Without it, data is stored as given.
   */
  personalData?: PersonalDataCodec;
}

/** An append-only event store on PostgreSQL. It knows streams and events, no domain words. */
export class PostgresEventStore implements EventStore<PoolClient> {
  readonly upcasters: UpcasterRegistry;
  /** Tells this store's own NOTIFYs apart from other processes'. */
  readonly instance = randomUUID();
  private readonly reads: EventReads;
  private readonly notifier: AppendNotifier;
  private readonly cache: StreamCache;
  private readonly specialisedAppends: boolean;
  private readonly idempotencyKeyHours: number;
  private readonly codec?: PersonalDataCodec;
  /** Categories appended through each open transaction's client, announced at its commit. */
  private readonly inTransaction = new WeakMap<object, Set<string>>();

  constructor(
    readonly pool: Pool,
    options: EventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.codec = options.personalData;
    this.reads = new EventReads(this.upcasters, this.codec);
    this.notifier = new AppendNotifier(pool, this.instance, options);
    this.cache = new StreamCache(options.streamCacheSize ?? 0);
    this.specialisedAppends = options.specialisedAppends ?? true;
    this.idempotencyKeyHours = options.idempotencyKeyHours ?? DEFAULT_IDEMPOTENCY_KEY_HOURS;
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const result = await appendToStream(this.pool, this.upcasters, streamId, events, options, this.specialisedAppends, this.codec);
    if (options.client) this.inTransaction.get(options.client)?.add(categoryOf(streamId));
    else this.notifier.announce([categoryOf(streamId)]);
    return result;
  }

  /**
   * Starts many streams in one statement (bulk commands: one invitation stream per participant).
   * Each stream must be new: one that exists already makes the whole call fail with a ConcurrencyError.
   */
  async appendToNewStreams(
    streams: { streamId: string; events: NewEvent[] }[],
    options: { metadata?: Partial<EventMetadata>; client: Queryable },
  ): Promise<AppendResult[]> {
    const results = await appendToNewStreams(this.upcasters, streams, options, this.codec);
    const appended = this.inTransaction.get(options.client);
    if (results.length > 0) for (const { streamId } of streams) appended?.add(categoryOf(streamId));
    return results;
  }

  /** A stream's events from `fromVersion`, at most `limit` of them (all when null), typed as the events `E` the caller expects there. */
  readStream<E extends DomainEvent = DomainEvent<string, any>>(streamId: string, fromVersion = 1, client?: Queryable, limit: number | null = null): Promise<StoredEvent<E>[]> {
    return this.reads.readStream<E>(client ?? this.pool, streamId, fromVersion, limit);
  }

  streamVersion(streamId: string, client?: Queryable): Promise<number> {
    return this.reads.streamVersion(client ?? this.pool, streamId);
  }

  /**
   * Events after a global position, in position order, and only those no in-flight transaction
   * can precede: a reader that keeps its place as the last position it saw never skips an event.
   */
  readAll(after = 0, limit = 1000, client?: Queryable): Promise<StoredEvent[]> {
    return this.reads.readAll(client ?? this.pool, after, limit);
  }

  /**
   * Like readAll, for some categories only; also returns the bound it read below, and whether events
   * lie beyond it. When fewer than `limit` events come back, every event of these categories under `bound` has been read.
   */
  readCategories(after: number, limit: number, categories: string[], client?: Queryable): Promise<{ events: StoredEvent[]; bound: number; beyond: boolean }> {
    return this.reads.readCategories(client ?? this.pool, after, limit, categories);
  }

  /** The highest position that readers can see now. */
  headPosition(client?: Queryable): Promise<number> {
    return this.reads.headPosition(client ?? this.pool);
  }

  readEventAt(position: number, client?: Queryable): Promise<StoredEvent | null> {
    return this.reads.readEventAt(client ?? this.pool, position);
  }

  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const appended = new Set<string>();
    this.inTransaction.set(client, appended);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      this.notifier.announce(appended.size > 0 ? [...appended] : null);
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      this.inTransaction.delete(client);
      client.release();
    }
  }

  /**
   * Runs `work` once per (scope, key). A repeat with the same fingerprint returns the first result
   * without running `work`; a repeat with another fingerprint is refused. A failed `work` leaves no key.
   * A key older than `idempotencyKeyHours` is new again.
   */
  idempotent<T>(scope: string, key: string, requestFingerprint: string, work: (client: PoolClient) => Promise<T>): Promise<{ result: T; replayed: boolean }> {
    return this.transaction((client) => runOnce(client, scope, key, requestFingerprint, work, this.idempotencyKeyHours));
  }

  /** The events of a stream as this process last commanded it, if kept (see `streamCacheSize`). */
  cachedStream(streamId: string): StoredEvent[] | undefined {
    return this.cache.get(streamId);
  }

  /** Keeps a stream's events, all of them up to its current version, as just committed. */
  rememberStream(streamId: string, events: StoredEvent[]): void {
    this.cache.remember(streamId, events);
  }

  forgetStream(streamId: string): void {
    this.cache.forget(streamId);
  }

  /** Forgets every kept stream: after an erasure, none may keep a person's data in clear. */
  forgetAllStreams(): void {
    this.cache.clear();
  }

  /** Called after events may have become visible, in this process, with their categories (null: not known). */
  onAppended(listener: (categories: AppendedCategories) => void): () => void {
    return this.notifier.onAppended(listener);
  }

  close(): void {
    this.notifier.close();
  }
}
