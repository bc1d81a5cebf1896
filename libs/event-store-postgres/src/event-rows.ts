import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { EventMetadata, ExpectedVersion, OpenedData, PersonalDataCodec, StoredEvent, UpcasterRegistry } from '@passerelle/event-store-core';

/** Something that runs queries: the store's pool or a client inside a transaction. */
export type Queryable = Pick<PoolClient, 'query'>;

/** A row of the events table as read. */
export interface EventRow {
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

export function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

export function toPosition(value: string | number | bigint): number {
  const position = Number(value);
  if (!Number.isSafeInteger(position)) throw new Error(`Position ${value} is beyond the safe integer range`);
  return position;
}

/** A row as an event in its current shape. */
export function toStored(upcasters: UpcasterRegistry, row: EventRow): StoredEvent {
  const { schemaVersion, data } = upcasters.upcast(row.type, row.schema_version, row.data);
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

/**
 * A row as an event in its current shape, its personal fields opened by `codec` first (they are sealed in
 * the shape they were written in, so they are opened before upcasting).
 */
export async function toOpened(upcasters: UpcasterRegistry, codec: PersonalDataCodec | undefined, row: EventRow): Promise<StoredEvent> {
  if (!codec) return toStored(upcasters, row);
  return withOpened(upcasters, row, await codec.open({ streamId: row.stream_id, type: row.type, data: row.data }));
}

/** toOpened for rows read together: a codec that can open a page at once (one key look-up for all) does. */
export async function toOpenedAll(upcasters: UpcasterRegistry, codec: PersonalDataCodec | undefined, rows: EventRow[]): Promise<StoredEvent[]> {
  if (!codec?.openMany || rows.length < 2) return Promise.all(rows.map((row) => toOpened(upcasters, codec, row)));
  const opened = await codec.openMany(rows.map((row) => ({ streamId: row.stream_id, type: row.type, data: row.data })));
  return rows.map((row, i) => withOpened(upcasters, row, opened[i]));
}

function withOpened(upcasters: UpcasterRegistry, row: EventRow, opened: OpenedData): StoredEvent {
  const event = toStored(upcasters, { ...row, data: opened.data });
  if (opened.subjectIds.length > 0) event.subjectIds = opened.subjectIds;
  if (opened.erased) event.personalDataErased = true;
  return event;
}

/**
 * Records which subjects streams name, outside an append (`npm run privacy:encrypt-existing`, for events
 * sealed in place). Appends record theirs in their own statement (RECORD_SUBJECTS in sql.ts).
 */
export async function recordSubjects(db: Queryable, streamIds: string[], subjectIds: string[]): Promise<void> {
  if (subjectIds.length === 0) return;
  await db.query(
    `INSERT INTO subject_streams (subject_id, stream_id) SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING`,
    [subjectIds, streamIds],
  );
}

export function expectedNumber(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  if (expected === 'no_stream') return 0;
  if (!Number.isInteger(expected) || expected < 0) throw new Error(`Bad expected version ${expected}`);
  return expected;
}

export function completeMetadata(metadata: Partial<EventMetadata>): EventMetadata {
  return {
    ...metadata,
    actor: metadata.actor ?? null,
    correlationId: metadata.correlationId ?? randomUUID(),
    causationId: metadata.causationId ?? null,
  };
}
