import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { ConcurrencyError, IdempotencyConflictError } from '@passerelle/event-store-core';
import {
  APPEND_NEW_STREAMS_SQL,
  APPEND_ALONE_SQL,
  APPEND_IN_TRANSACTION_SQL,
  APPEND_ONE_ALONE_SQL,
  APPEND_ONE_IN_TRANSACTION_SQL,
  HEAD_POSITION_SQL,
  READ_CATEGORIES_SQL,
  MAX_EVENTS_PER_TRANSACTION,
  NOTIFY_CHANNEL,
  READ_ALL_SQL,
  READ_STREAM_SQL,
  STREAM_VERSION_SQL,
} from './sql';
import type { AppendResult, DomainEvent, EventMetadata, EventStore, ExpectedVersion, NewEvent, StoredEvent } from '@passerelle/event-store-core';
import { UpcasterRegistry } from '@passerelle/event-store-core';

/** Something that runs queries: the store's pool or a client inside a transaction. */
export type Queryable = Pick<PoolClient, 'query'>;

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
}

/** Longer streams are not kept: reading them is what a cache would save, but they would fill it. */
const CACHED_STREAM_MAX_EVENTS = 100;

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** Metadata merged into every event's own. */
  metadata?: Partial<EventMetadata>;
  /** Append inside this transaction instead of on its own. */
  client?: Queryable;
}

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  category: string;
  version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

const UNIQUE_VIOLATION = '23505';
const STREAM_VERSION_CONSTRAINT = 'events_stream_version_unique';

export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

export function toPosition(value: string | number | bigint): number {
  const position = Number(value);
  if (!Number.isSafeInteger(position)) throw new Error(`Position ${value} is beyond the safe integer range`);
  return position;
}

/**
 * The categories of newly committed events, for waking the subscriptions that read them; null when not
 * known (wake them all).
 */
export type AppendedCategories = readonly string[] | null;

/** The NOTIFY payload sent after appends: `appended <store instance> <categories, comma-separated, or *>`. */
export function appendedPayload(instance: string, categories: AppendedCategories): string {
  return `appended ${instance} ${categories ? categories.join(',') : '*'}`;
}

/** The sender and categories of an append's NOTIFY payload; null for any other payload (a request to subscriptions). */
export function parseAppendedPayload(payload: string | undefined): { instance: string; categories: AppendedCategories } | null {
  const parts = (payload ?? '').split(' ');
  if (parts.length !== 3 || parts[0] !== 'appended') return null;
  return { instance: parts[1], categories: parts[2] === '*' ? null : parts[2].split(',') };
}

/** An append-only event store on PostgreSQL. It knows streams and events, no domain words. */
export class PostgresEventStore implements EventStore<PoolClient> {
  readonly upcasters: UpcasterRegistry;
  /** Tells this store's own NOTIFYs apart from other processes'. */
  readonly instance = randomUUID();
  private readonly appended = new EventEmitter();
  private notifyTimer: NodeJS.Timeout | null = null;
  /** Categories appended since the last NOTIFY went out; null: not known. */
  private notifyCategories: Set<string> | null = new Set();
  /** Streams' events as this process last commanded them, least recently used first. */
  private readonly cached = new Map<string, StoredEvent[]>();
  /** Categories appended through each open transaction's client, announced at its commit. */
  private readonly inTransaction = new WeakMap<object, Set<string>>();
  private closed = false;

  constructor(
    readonly pool: Pool,
    private readonly options: EventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.appended.setMaxListeners(0);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    if (events.length >= MAX_EVENTS_PER_TRANSACTION) {
      throw new Error(`append takes fewer than ${MAX_EVENTS_PER_TRANSACTION} events at once`);
    }
    const expected = expectedNumber(options.expectedVersion);
    const runner = options.client ?? this.pool;
    const category = categoryOf(streamId);
    const ids: string[] = [];
    const types: string[] = [];
    const versions: number[] = [];
    const data: string[] = [];
    const metadata: EventMetadata[] = [];
    for (const event of events) {
      ids.push(event.id ?? randomUUID());
      types.push(event.type);
      versions.push(event.schemaVersion ?? this.upcasters.currentVersion(event.type));
      data.push(JSON.stringify(event.data ?? null));
      metadata.push(completeMetadata({ ...options.metadata, ...event.metadata }));
    }
    const metadataText = metadata.map((m) => JSON.stringify(m));
    const one = events.length === 1;
    let rows: { position: string; version: number; recorded_at: Date }[];
    try {
      // Named, so each connection plans it once: planning costs more than running it.
      const result = await runner.query<{ position: string; version: number; recorded_at: Date }>({
        name: `passerelle_append${one ? '_one' : ''}${options.client ? '_in_transaction' : ''}`,
        text: options.client ? (one ? APPEND_ONE_IN_TRANSACTION_SQL : APPEND_IN_TRANSACTION_SQL) : one ? APPEND_ONE_ALONE_SQL : APPEND_ALONE_SQL,
        values: one
          ? [streamId, category, ids[0], types[0], versions[0], data[0], metadataText[0], expected]
          : [streamId, category, ids, types, versions, data, metadataText, expected],
      });
      rows = result.rows;
    } catch (err: any) {
      if (err?.code === UNIQUE_VIOLATION && err?.constraint === STREAM_VERSION_CONSTRAINT) {
        throw new ConcurrencyError(streamId, options.expectedVersion, null);
      }
      throw err;
    }
    if (rows.length !== events.length) {
      const actual = await this.streamVersion(streamId, runner);
      throw new ConcurrencyError(streamId, options.expectedVersion, actual);
    }
    const stored = rows.map((row, i) =>
      this.toStored({
        position: row.position,
        event_id: ids[i],
        stream_id: streamId,
        category,
        version: row.version,
        type: types[i],
        schema_version: versions[i],
        data: events[i].data ?? null,
        metadata: metadata[i],
        recorded_at: row.recorded_at,
      }),
    );
    const last = stored[stored.length - 1];
    if (options.client) this.inTransaction.get(options.client)?.add(category);
    else this.announce([category]);
    return { streamId, version: last.version, position: last.position, events: stored };
  }

  /**
   * Starts many streams in one statement (bulk commands: one invitation stream per participant).
   * Each stream must be new: one that exists already makes the whole call fail with a ConcurrencyError.
   */
  async appendToNewStreams(
    streams: { streamId: string; events: NewEvent[] }[],
    options: { metadata?: Partial<EventMetadata>; client: Queryable },
  ): Promise<AppendResult[]> {
    const rows = streams.flatMap(({ streamId, events }) => events.map((event, i) => ({ streamId, event, version: i + 1 })));
    if (rows.length === 0) return [];
    if (rows.length >= MAX_EVENTS_PER_TRANSACTION) throw new Error(`append takes fewer than ${MAX_EVENTS_PER_TRANSACTION} events at once`);
    const ids = rows.map((r) => r.event.id ?? randomUUID());
    const types = rows.map((r) => r.event.type);
    const versions = rows.map((r) => r.event.schemaVersion ?? this.upcasters.currentVersion(r.event.type));
    const metadata = rows.map((r) => JSON.stringify(completeMetadata({ ...options.metadata, ...r.event.metadata })));
    let result;
    try {
      result = await options.client.query<{ position: string; stream_id: string; version: number; recorded_at: Date }>({
        name: 'passerelle_append_new_streams',
        text: APPEND_NEW_STREAMS_SQL,
        values: [ids, rows.map((r) => r.streamId), rows.map((r) => categoryOf(r.streamId)), rows.map((r) => r.version), types, versions, rows.map((r) => JSON.stringify(r.event.data ?? null)), metadata],
      });
    } catch (err: any) {
      if (err?.code === UNIQUE_VIOLATION && err?.constraint === STREAM_VERSION_CONSTRAINT) throw new ConcurrencyError('(several new streams)', 'no_stream', null);
      throw err;
    }
    const appended = this.inTransaction.get(options.client);
    for (const { streamId } of streams) appended?.add(categoryOf(streamId));
    const byStream = new Map<string, StoredEvent[]>();
    result.rows.forEach((row, i) => {
      const stored = this.toStored({
        position: row.position,
        event_id: ids[i],
        stream_id: row.stream_id,
        category: categoryOf(row.stream_id),
        version: row.version,
        type: types[i],
        schema_version: versions[i],
        data: rows[i].event.data ?? null,
        metadata: JSON.parse(metadata[i]),
        recorded_at: row.recorded_at,
      });
      byStream.set(row.stream_id, [...(byStream.get(row.stream_id) ?? []), stored]);
    });
    return streams.map(({ streamId }) => {
      const events = byStream.get(streamId) ?? [];
      const last = events[events.length - 1];
      return { streamId, version: last?.version ?? 0, position: last?.position ?? 0, events };
    });
  }

  /** A stream's events from `fromVersion`, at most `limit` of them (all when null), typed as the events `E` the caller expects there. */
  async readStream<E extends DomainEvent = DomainEvent<string, any>>(
    streamId: string,
    fromVersion = 1,
    client?: Queryable,
    limit: number | null = null,
  ): Promise<StoredEvent<E>[]> {
    const result = await (client ?? this.pool).query<EventRow>({ name: 'passerelle_read_stream', text: READ_STREAM_SQL, values: [streamId, fromVersion, limit] });
    // The stream's id says what it holds: its events are the caller's to name.
    return result.rows.map((row) => this.toStored(row) as StoredEvent<E>);
  }

  async streamVersion(streamId: string, client?: Queryable): Promise<number> {
    const result = await (client ?? this.pool).query<{ version: number }>(STREAM_VERSION_SQL, [streamId]);
    return Number(result.rows[0].version);
  }

  /**
   * Events after a global position, in position order, and only those no in-flight transaction
   * can precede: a reader that keeps its place as the last position it saw never skips an event.
   */
  async readAll(after = 0, limit = 1000, client?: Queryable): Promise<StoredEvent[]> {
    const result = await (client ?? this.pool).query<EventRow>({ name: 'passerelle_read_all', text: READ_ALL_SQL, values: [after, limit] });
    return result.rows.map((row) => this.toStored(row));
  }

  /**
   * Like readAll, for some categories only; also returns the bound it read below, and whether events
   * lie beyond it. When fewer than `limit` events come back, every event of these categories under `bound` has been read.
   */
  async readCategories(
    after: number,
    limit: number,
    categories: string[],
    client?: Queryable,
  ): Promise<{ events: StoredEvent[]; bound: number; beyond: boolean }> {
    const result = await (client ?? this.pool).query<EventRow & { bound: string; beyond: string | null }>({
      name: 'passerelle_read_categories',
      text: READ_CATEGORIES_SQL,
      values: [after, limit, categories],
    });
    const bound = toPosition(result.rows[0].bound);
    const events = result.rows.filter((row) => row.position !== null).map((row) => this.toStored(row));
    // `beyond`: events at or above the bound exist (written by transactions that started after one still open).
    return { events, bound, beyond: result.rows[0].beyond !== null };
  }

  /** The highest position that readers can see now. */
  async headPosition(client?: Queryable): Promise<number> {
    const result = await (client ?? this.pool).query<{ position: string }>(HEAD_POSITION_SQL);
    return toPosition(result.rows[0].position);
  }

  async readEventAt(position: number, client?: Queryable): Promise<StoredEvent | null> {
    const result = await (client ?? this.pool).query<EventRow>(
      `SELECT position, event_id, stream_id, category, version, type, schema_version, data, metadata, recorded_at
       FROM events WHERE position = $1`,
      [position],
    );
    return result.rows[0] ? this.toStored(result.rows[0]) : null;
  }

  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const appended = new Set<string>();
    this.inTransaction.set(client, appended);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      this.announce(appended.size > 0 ? [...appended] : null);
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
   */
  async idempotent<T>(
    scope: string,
    key: string,
    requestFingerprint: string,
    work: (client: PoolClient) => Promise<T>,
  ): Promise<{ result: T; replayed: boolean }> {
    return this.transaction(async (client) => {
      const inserted = await client.query(
        `INSERT INTO idempotency_keys (scope, key, fingerprint, result) VALUES ($1, $2, $3, 'null')
         ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
        [scope, key, requestFingerprint],
      );
      if (inserted.rowCount === 0) {
        const found = await client.query<{ fingerprint: string; result: T }>(
          'SELECT fingerprint, result FROM idempotency_keys WHERE scope = $1 AND key = $2',
          [scope, key],
        );
        if (found.rows[0].fingerprint !== requestFingerprint) throw new IdempotencyConflictError(key);
        return { result: found.rows[0].result, replayed: true };
      }
      const result = await work(client);
      await client.query('UPDATE idempotency_keys SET result = $3 WHERE scope = $1 AND key = $2', [
        scope,
        key,
        JSON.stringify(result ?? null),
      ]);
      return { result, replayed: false };
    });
  }

  /** The events of a stream as this process last commanded it, if kept (see `streamCacheSize`). */
  cachedStream(streamId: string): StoredEvent[] | undefined {
    const events = this.cached.get(streamId);
    if (events) {
      this.cached.delete(streamId);
      this.cached.set(streamId, events);
    }
    return events;
  }

  /** Keeps a stream's events, all of them up to its current version, as just committed. */
  rememberStream(streamId: string, events: StoredEvent[]): void {
    const size = this.options.streamCacheSize ?? 0;
    this.cached.delete(streamId);
    if (size === 0 || events.length === 0 || events.length > CACHED_STREAM_MAX_EVENTS) return;
    this.cached.set(streamId, events);
    if (this.cached.size > size) this.cached.delete(this.cached.keys().next().value!);
  }

  forgetStream(streamId: string): void {
    this.cached.delete(streamId);
  }

  /** Called after events may have become visible, in this process, with their categories (null: not known). */
  onAppended(listener: (categories: AppendedCategories) => void): () => void {
    this.appended.on('appended', listener);
    return () => this.appended.off('appended', listener);
  }

  close(): void {
    this.closed = true;
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.notifyTimer = null;
    this.appended.removeAllListeners();
  }

  /** Wakes this process's subscriptions now and, one NOTIFY for many appends, other processes' soon after. */
  private announce(categories: AppendedCategories): void {
    if (this.closed) return;
    this.appended.emit('appended', categories);
    if (this.options.notify === false) return;
    if (categories === null) this.notifyCategories = null;
    else if (this.notifyCategories) for (const category of categories) this.notifyCategories.add(category);
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      if (this.closed) return;
      const payload = appendedPayload(this.instance, this.notifyCategories ? [...this.notifyCategories] : null);
      this.notifyCategories = new Set();
      this.pool.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, payload]).catch(() => undefined);
    }, this.options.notifyDelayMs ?? 10);
    this.notifyTimer.unref();
  }

  private toStored(row: EventRow): StoredEvent {
    const { schemaVersion, data } = this.upcasters.upcast(row.type, row.schema_version, row.data);
    return {
      id: row.event_id,
      streamId: row.stream_id,
      category: row.category,
      version: row.version,
      position: toPosition(row.position),
      type: row.type,
      schemaVersion,
      data,
      metadata: row.metadata,
      recordedAt: row.recorded_at,
    };
  }
}

function expectedNumber(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  if (expected === 'no_stream') return 0;
  if (!Number.isInteger(expected) || expected < 0) throw new Error(`Bad expected version ${expected}`);
  return expected;
}

function completeMetadata(metadata: Partial<EventMetadata>): EventMetadata {
  return {
    ...metadata,
    actor: metadata.actor ?? null,
    correlationId: metadata.correlationId ?? randomUUID(),
    causationId: metadata.causationId ?? null,
  };
}
