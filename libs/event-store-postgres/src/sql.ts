/**
 * Positions are derived from the appending transaction's 64-bit id: (txid << 16) + index in the
 * transaction. Every transaction with an id below `pg_snapshot_xmin` has ended, and every later one
 * gets a larger id, so the rows below `xmin << 16` are final: nothing with a lower position can still
 * commit. Readers read only below that bound, in position order, and keep their place as a position.
 */
export const POSITION_SHIFT = 16;
export const MAX_EVENTS_PER_TRANSACTION = 2 ** POSITION_SHIFT;

export const EVENT_COLUMNS =
  'position, event_id, stream_id, category, version, type, schema_version, data, metadata, recorded_at';

/**
 * Records that the stream names the subjects $9 (subject_streams, see its migration), in the append's own
 * statement: no round trip or commit of its own. It runs even when the expected version does not match
 * and nothing is appended: a harmless extra row (the index may name a stream that does not name the subject).
 */
const RECORD_SUBJECTS = `subjects AS (
  INSERT INTO subject_streams (subject_id, stream_id) SELECT unnest($9::uuid[]), $1 ON CONFLICT DO NOTHING)`;

function appendSql(start: string): string {
  return `
WITH tx AS (SELECT (pg_current_xact_id()::text::bigint << ${POSITION_SHIFT}) AS base),
head AS (SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1),
start AS (SELECT ${start} AS position FROM tx),
${RECORD_SUBJECTS}
INSERT INTO events (position, event_id, stream_id, category, version, type, schema_version, data, metadata)
SELECT start.position + n.ord - 1, n.id, $1, $2, head.version + n.ord, n.type, n.schema_version, n.data, n.metadata
FROM head, start,
  unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
    WITH ORDINALITY AS n(id, type, schema_version, data, metadata, ord)
WHERE $8::int IS NULL OR head.version = $8::int
ORDER BY n.ord
RETURNING position, version, recorded_at`;
}

/**
 * The same for one event, the usual case, with plain parameters: no array to build as text here and to
 * parse again in PostgreSQL.
 */
function appendOneSql(start: string): string {
  return `
WITH tx AS (SELECT (pg_current_xact_id()::text::bigint << ${POSITION_SHIFT}) AS base),
head AS (SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1),
${RECORD_SUBJECTS}
INSERT INTO events (position, event_id, stream_id, category, version, type, schema_version, data, metadata)
SELECT ${start}, $3::uuid, $1, $2, head.version + 1, $4::text, $5::int, $6::jsonb, $7::jsonb
FROM head, tx
WHERE $8::int IS NULL OR head.version = $8::int
RETURNING position, version, recorded_at`;
}

/** Where an append inside a larger transaction starts: after the transaction's earlier appends. */
const AFTER_EARLIER_APPENDS = `coalesce(
    (SELECT max(e.position) + 1 FROM events e WHERE e.position >= tx.base AND e.position < tx.base + ${MAX_EVENTS_PER_TRANSACTION}),
    tx.base)`;

/** An append that is its own transaction: its events are the first of the transaction. */
export const APPEND_ALONE_SQL = appendSql('tx.base');
export const APPEND_ONE_ALONE_SQL = appendOneSql('tx.base');

/** An append inside a larger transaction: it goes on after the transaction's earlier appends. */
export const APPEND_IN_TRANSACTION_SQL = appendSql(AFTER_EARLIER_APPENDS);
export const APPEND_ONE_IN_TRANSACTION_SQL = appendOneSql(AFTER_EARLIER_APPENDS);

/**
 * Many new streams at once (each event's version given), after the transaction's earlier appends; the
 * pairs ($9 subject, $10 stream) go to subject_streams in the same statement.
 */
export const APPEND_NEW_STREAMS_SQL = `
WITH tx AS (SELECT (pg_current_xact_id()::text::bigint << ${POSITION_SHIFT}) AS base),
start AS (SELECT ${AFTER_EARLIER_APPENDS} AS position FROM tx),
subjects AS (
  INSERT INTO subject_streams (subject_id, stream_id) SELECT * FROM unnest($9::uuid[], $10::text[]) ON CONFLICT DO NOTHING)
INSERT INTO events (position, event_id, stream_id, category, version, type, schema_version, data, metadata)
SELECT start.position + n.ord - 1, n.id, n.stream_id, n.category, n.version, n.type, n.schema_version, n.data, n.metadata
FROM start,
  unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[])
    WITH ORDINALITY AS n(id, stream_id, category, version, type, schema_version, data, metadata, ord)
ORDER BY n.ord
RETURNING position, stream_id, version, recorded_at`;

/** The first position that may still be written by a transaction in flight. */
export const SAFE_BOUND_SQL = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << ${POSITION_SHIFT})`;

export const READ_ALL_SQL = `
SELECT ${EVENT_COLUMNS} FROM events
WHERE position > $1 AND position < ${SAFE_BOUND_SQL}
ORDER BY position
LIMIT $2`;

/**
 * Events of some categories only, the bound they were read below (every position under it is final), and
 * the first position at or above the bound (written, of any category, but not yet readable), if any.
 */
export const READ_CATEGORIES_SQL = `
WITH bound AS (SELECT ${SAFE_BOUND_SQL} AS position)
SELECT bound.position AS bound,
  (SELECT a.position FROM events a WHERE a.position >= bound.position ORDER BY a.position LIMIT 1) AS beyond,
  e.* FROM bound
LEFT JOIN LATERAL (
  SELECT ${EVENT_COLUMNS} FROM events
  WHERE events.position > $1 AND events.position < bound.position AND category = ANY($3)
  ORDER BY events.position LIMIT $2) e ON true`;

export const HEAD_POSITION_SQL = `
SELECT coalesce(max(position), 0) AS position FROM events WHERE position < ${SAFE_BOUND_SQL}`;

export const READ_STREAM_SQL = `
SELECT ${EVENT_COLUMNS} FROM events
WHERE stream_id = $1 AND version >= $2
ORDER BY version
LIMIT $3`;

export const STREAM_VERSION_SQL = 'SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1';

export const NOTIFY_CHANNEL = 'passerelle_events';
