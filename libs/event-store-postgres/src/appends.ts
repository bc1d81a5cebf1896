import { randomUUID } from 'node:crypto';
import {
  type AppendResult,
  ConcurrencyError,
  type EventMetadata,
  type ExpectedVersion,
  type NewEvent,
  type PersonalDataCodec,
  type StoredEvent,
  type UpcasterRegistry,
} from '@passerelle/event-store-core';
import { categoryOf, completeMetadata, expectedNumber, type Queryable, toStored } from './event-rows';
import {
  APPEND_ALONE_SQL,
  APPEND_IN_TRANSACTION_SQL,
  APPEND_NEW_STREAMS_SQL,
  APPEND_ONE_ALONE_SQL,
  APPEND_ONE_IN_TRANSACTION_SQL,
  MAX_EVENTS_PER_TRANSACTION,
  STREAM_VERSION_SQL,
} from './sql';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** Metadata merged into every event's own. */
  metadata?: Partial<EventMetadata>;
  /** Append inside this transaction instead of on its own. */
  client?: Queryable;
}

const UNIQUE_VIOLATION = '23505';
const STREAM_VERSION_CONSTRAINT = 'events_stream_version_unique';

function isVersionTaken(err: any): boolean {
  return err?.code === UNIQUE_VIOLATION && err?.constraint === STREAM_VERSION_CONSTRAINT;
}

/** Each event's data as stored (sealed by `codec`, when there is one) and the subjects it names. */
async function sealAll(codec: PersonalDataCodec | undefined, db: Queryable, targets: { streamId: string; event: NewEvent }[]): Promise<{ data: string[]; subjectIds: string[][] }> {
  // All at once: sealing a new person waits on the key database, and a bulk of invitations names a thousand.
  const sealed = await Promise.all(
    targets.map(({ streamId, event }) => (codec ? codec.seal({ streamId, type: event.type, data: event.data ?? null }, db) : { data: event.data ?? null, subjectIds: [] })),
  );
  const data = sealed.map((s) => JSON.stringify(s.data));
  const subjectIds = sealed.map((s) => [...s.subjectIds]);
  return { data, subjectIds };
}

/** The (subject, stream) pairs the events name, as the two arrays of subject_streams' columns. */
function subjectPairs(rows: { streamId: string }[], subjectIds: string[][]): [string[], string[]] {
  const subjects: string[] = [];
  const streams: string[] = [];
  rows.forEach(({ streamId }, i) => {
    for (const subjectId of subjectIds[i]) {
      subjects.push(subjectId);
      streams.push(streamId);
    }
  });
  return [subjects, streams];
}

/**
 * The statement for an append: with `specialised`, the one made for its case (one event or several,
 * alone or inside a larger transaction); without, the general one, which works in every case.
 */
function appendStatement(one: boolean, inTransaction: boolean, specialised: boolean): { name: string; text: string; one: boolean } {
  if (!specialised) return { name: 'passerelle_append_in_transaction', text: APPEND_IN_TRANSACTION_SQL, one: false };
  const name = `passerelle_append${one ? '_one' : ''}${inTransaction ? '_in_transaction' : ''}`;
  if (inTransaction) return { name, text: one ? APPEND_ONE_IN_TRANSACTION_SQL : APPEND_IN_TRANSACTION_SQL, one };
  return { name, text: one ? APPEND_ONE_ALONE_SQL : APPEND_ALONE_SQL, one };
}

/**
 * Appends to one stream if it is at the expected version; `db` is the pool, or `options.client` inside a
 * transaction. `specialised`: see `EventStoreOptions.specialisedAppends`.
 */
export async function appendToStream(
  db: Queryable,
  upcasters: UpcasterRegistry,
  streamId: string,
  events: NewEvent[],
  options: AppendOptions,
  specialised = true,
  codec?: PersonalDataCodec,
): Promise<AppendResult> {
  if (events.length === 0) throw new Error('append needs at least one event');
  if (events.length >= MAX_EVENTS_PER_TRANSACTION) throw new Error(`append takes fewer than ${MAX_EVENTS_PER_TRANSACTION} events at once`);
  const expected = expectedNumber(options.expectedVersion);
  const runner = options.client ?? db;
  const category = categoryOf(streamId);
  const ids: string[] = [];
  const types: string[] = [];
  const versions: number[] = [];
  const metadata: EventMetadata[] = [];
  for (const event of events) {
    ids.push(event.id ?? randomUUID());
    types.push(event.type);
    versions.push(event.schemaVersion ?? upcasters.currentVersion(event.type));
    metadata.push(completeMetadata({ ...options.metadata, ...event.metadata }));
  }
  const { data, subjectIds } = await sealAll(codec, runner, events.map((event) => ({ streamId, event })));
  const metadataText = metadata.map((m) => JSON.stringify(m));
  const statement = appendStatement(events.length === 1, options.client !== undefined, specialised);
  let rows: { position: string; version: number; recorded_at: Date }[];
  try {
    // Named, so each connection plans it once: planning costs more than running it.
    const result = await runner.query<{ position: string; version: number; recorded_at: Date }>({
      name: statement.name,
      text: statement.text,
      values: statement.one
        ? [streamId, category, ids[0], types[0], versions[0], data[0], metadataText[0], expected, subjectIds[0]]
        : [streamId, category, ids, types, versions, data, metadataText, expected, [...new Set(subjectIds.flat())]],
    });
    rows = result.rows;
  } catch (err) {
    if (isVersionTaken(err)) throw new ConcurrencyError(streamId, options.expectedVersion, null);
    throw err;
  }
  if (rows.length !== events.length) {
    const found = await runner.query<{ version: number }>(STREAM_VERSION_SQL, [streamId]);
    throw new ConcurrencyError(streamId, options.expectedVersion, Number(found.rows[0].version));
  }
  const stored = rows.map((row, i) =>
    withSubjects(subjectIds[i], toStored(upcasters, {
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
    })),
  );
  const last = stored[stored.length - 1];
  return { streamId, version: last.version, position: last.position, events: stored };
}

/**
 * Starts many streams in one statement (bulk commands: one invitation stream per participant), inside
 * the transaction of `client`. Each stream must be new: one that exists already makes the whole call
 * fail with a ConcurrencyError.
 */
export async function appendToNewStreams(
  upcasters: UpcasterRegistry,
  streams: { streamId: string; events: NewEvent[] }[],
  options: { metadata?: Partial<EventMetadata>; client: Queryable },
  codec?: PersonalDataCodec,
): Promise<AppendResult[]> {
  const rows = streams.flatMap(({ streamId, events }) => events.map((event, i) => ({ streamId, event, version: i + 1 })));
  if (rows.length === 0) return [];
  if (rows.length >= MAX_EVENTS_PER_TRANSACTION) throw new Error(`append takes fewer than ${MAX_EVENTS_PER_TRANSACTION} events at once`);
  const ids = rows.map((r) => r.event.id ?? randomUUID());
  const types = rows.map((r) => r.event.type);
  const versions = rows.map((r) => r.event.schemaVersion ?? upcasters.currentVersion(r.event.type));
  const metadata = rows.map((r) => JSON.stringify(completeMetadata({ ...options.metadata, ...r.event.metadata })));
  const sealed = await sealAll(codec, options.client, rows.map((r) => ({ streamId: r.streamId, event: r.event })));
  let result;
  try {
    result = await options.client.query<{ position: string; stream_id: string; version: number; recorded_at: Date }>({
      name: 'passerelle_append_new_streams',
      text: APPEND_NEW_STREAMS_SQL,
      values: [ids, rows.map((r) => r.streamId), rows.map((r) => categoryOf(r.streamId)), rows.map((r) => r.version), types, versions, sealed.data, metadata, ...subjectPairs(rows, sealed.subjectIds)],
    });
  } catch (err) {
    if (isVersionTaken(err)) throw new ConcurrencyError('(several new streams)', 'no_stream', null);
    throw err;
  }
  const byStream = new Map<string, StoredEvent[]>();
  result.rows.forEach((row, i) => {
    const stored = withSubjects(sealed.subjectIds[i], toStored(upcasters, {
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
    }));
    byStream.set(row.stream_id, [...(byStream.get(row.stream_id) ?? []), stored]);
  });
  return streams.map(({ streamId }) => {
    const events = byStream.get(streamId) ?? [];
    const last = events[events.length - 1];
    return { streamId, version: last?.version ?? 0, position: last?.position ?? 0, events };
  });
}

/** An appended event keeps its data as given (never sealed) and says whom it names. */
function withSubjects(subjectIds: string[], event: StoredEvent): StoredEvent {
  if (subjectIds.length > 0) event.subjectIds = subjectIds;
  return event;
}
