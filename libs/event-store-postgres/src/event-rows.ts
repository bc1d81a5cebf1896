import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { EventMetadata, ExpectedVersion, StoredEvent, UpcasterRegistry } from '@passerelle/event-store-core';

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
