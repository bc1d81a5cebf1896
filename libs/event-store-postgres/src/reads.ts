import type { DomainEvent, PersonalDataCodec, StoredEvent, UpcasterRegistry } from '@passerelle/event-store-core';
import { type EventRow, type Queryable, toOpened, toOpenedAll, toPosition } from './event-rows';
import { EVENT_COLUMNS, HEAD_POSITION_SQL, READ_ALL_SQL, READ_CATEGORIES_SQL, READ_STREAM_SQL, STREAM_VERSION_SQL } from './sql';

/** The store's reads, each on the pool or on a client inside a transaction. */
export class EventReads {
  constructor(
    private readonly upcasters: UpcasterRegistry,
    private readonly codec?: PersonalDataCodec,
  ) {}

  private open(rows: EventRow[]): Promise<StoredEvent[]> {
    return toOpenedAll(this.upcasters, this.codec, rows);
  }

  /** A stream's events from `fromVersion`, at most `limit` of them (all when null), typed as the events `E` the caller expects there. */
  async readStream<E extends DomainEvent = DomainEvent<string, any>>(
    db: Queryable,
    streamId: string,
    fromVersion: number,
    limit: number | null,
  ): Promise<StoredEvent<E>[]> {
    const result = await db.query<EventRow>({ name: 'passerelle_read_stream', text: READ_STREAM_SQL, values: [streamId, fromVersion, limit] });
    // The stream's id says what it holds: its events are the caller's to name.
    return (await this.open(result.rows)) as StoredEvent<E>[];
  }

  async streamVersion(db: Queryable, streamId: string): Promise<number> {
    const result = await db.query<{ version: number }>(STREAM_VERSION_SQL, [streamId]);
    return Number(result.rows[0].version);
  }

  /**
   * Events after a global position, in position order, and only those no in-flight transaction
   * can precede: a reader that keeps its place as the last position it saw never skips an event.
   */
  async readAll(db: Queryable, after: number, limit: number): Promise<StoredEvent[]> {
    const result = await db.query<EventRow>({ name: 'passerelle_read_all', text: READ_ALL_SQL, values: [after, limit] });
    return this.open(result.rows);
  }

  /**
   * Like readAll, for some categories only; also returns the bound it read below, and whether events
   * lie beyond it. When fewer than `limit` events come back, every event of these categories under `bound` has been read.
   */
  async readCategories(
    db: Queryable,
    after: number,
    limit: number,
    categories: string[],
  ): Promise<{ events: StoredEvent[]; bound: number; beyond: boolean }> {
    const result = await db.query<EventRow & { bound: string; beyond: string | null }>({
      name: 'passerelle_read_categories',
      text: READ_CATEGORIES_SQL,
      values: [after, limit, categories],
    });
    const bound = toPosition(result.rows[0].bound);
    const events = await this.open(result.rows.filter((row) => row.position !== null));
    // `beyond`: events at or above the bound exist (written by transactions that started after one still open).
    return { events, bound, beyond: result.rows[0].beyond !== null };
  }

  /** The highest position that readers can see now. */
  async headPosition(db: Queryable): Promise<number> {
    const result = await db.query<{ position: string }>(HEAD_POSITION_SQL);
    return toPosition(result.rows[0].position);
  }

  async readEventAt(db: Queryable, position: number): Promise<StoredEvent | null> {
    const result = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position = $1`, [position]);
    return result.rows[0] ? toOpened(this.upcasters, this.codec, result.rows[0]) : null;
  }
}
