/**
 * Event store throughput against plain `pg` doing the same work on a plain table.
 * Run by hand: node -r @swc-node/register bench/event-store.ts
 * Creates a fresh database, measures, prints a table and the targets, and drops the database (also on
 * failure or Ctrl-C). Exits 0 whatever the figures: it is a measurement, not a test.
 *
 * Then it compares the store's specialised append statements with its general one (event-store-appends.ts)
 * in BENCH_ROUNDS balanced rounds (default 5), with a verdict on whether they pay. BENCH_COMPARE=appends
 * runs that comparison alone.
 *
 * Before that comparison it measures what sealing personal fields costs (event-store-personal.ts): appends
 * and reads of invitations with their personal fields encrypted, against the same in clear.
 * BENCH_COMPARE=personal-data runs those cases alone.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { compareAppendModes } from './event-store-appends';
import { personalDataCases } from './event-store-personal';
import { compare, COMPARE_SCHEDULE, newEvents, newPool, nextStream, type Op, type Tally, type Variant } from './event-store-load';
import { fmt, printMachine, printTable, printTarget, runBench, withBenchDatabase } from './support';

const READ_EVENTS = 100_000;
const READ_BATCH = 1000;
const FILL_CHUNK = 50_000; // the store's positions allow fewer than 2^16 events per transaction
/**
 * BENCH_COMPARE=appends runs only the comparison of the append statements (BENCH_ROUNDS its rounds);
 * BENCH_COMPARE=personal-data only the personal fields' cases.
 */
const COMPARE = process.env.BENCH_COMPARE || undefined;
const COMPARE_ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

const COLUMNS = 'event_id, stream_id, category, version, type, schema_version, data, metadata';
const PLAIN_TABLE_SQL = `CREATE TABLE plain_events (
  position bigserial PRIMARY KEY, event_id uuid NOT NULL, stream_id text NOT NULL, category text NOT NULL,
  version integer NOT NULL, type text NOT NULL, schema_version integer NOT NULL DEFAULT 1, data jsonb NOT NULL,
  metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, version))`;
/** Tops `events` up for the readAll case, with positions made the way the store makes them. */
const FILL_EVENTS_SQL = `INSERT INTO events (position, ${COLUMNS})
  SELECT (pg_current_xact_id()::text::bigint << 16) + g - 1, gen_random_uuid(), 'bench-' || gen_random_uuid(),
    'bench', 1, 'WorkshopScheduled', 1, $2::jsonb, $3::jsonb
  FROM generate_series(1, $1::int) AS g`;
const COPY_TO_PLAIN_SQL = `INSERT INTO plain_events (${COLUMNS}, recorded_at)
  SELECT ${COLUMNS}, recorded_at FROM events ORDER BY position`;
const PLAIN_READ_SQL = `SELECT position, ${COLUMNS}, recorded_at FROM plain_events
  WHERE position > $1 ORDER BY position LIMIT $2`;

const storeAppend = (size: number): Variant => (pool) => {
  const store = new PostgresEventStore(pool); // production defaults, NOTIFY included
  const op = async () =>
    (await store.append(nextStream(), newEvents(size), { expectedVersion: 'no_stream' })).events.length;
  return { op, close: () => store.close() };
};

const plainAppend = (size: number): Variant => (pool) => {
  const placeholders = (r: number) => `(${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(', ')})`;
  const values = Array.from({ length: size }, (_, r) => placeholders(r)).join(', ');
  const sql = `INSERT INTO plain_events (${COLUMNS}) VALUES ${values}`;
  const op = async () => {
    const stream = nextStream();
    const params = newEvents(size).flatMap((event, i) =>
      [randomUUID(), stream, 'bench', i + 1, event.type, 1, event.data, event.metadata]);
    return (await pool.query(sql, params)).rowCount ?? 0;
  };
  return { op };
};

/** Reads from position 0 to the end in batches; one call is one full pass. */
function readToEnd(readBatch: (after: number) => Promise<{ count: number; last: number }>): Op {
  return async () => {
    let read = 0;
    for (let after = 0; ; ) {
      const { count, last } = await readBatch(after);
      if (count === 0) return read;
      read += count;
      after = last;
    }
  };
}

const storeReadAll: Variant = (pool) => {
  const store = new PostgresEventStore(pool);
  const op = readToEnd(async (after) => {
    const events = await store.readAll(after, READ_BATCH);
    return { count: events.length, last: events.at(-1)?.position ?? after };
  });
  return { op, close: () => store.close() };
};

const plainReadAll: Variant = (pool) => ({
  op: readToEnd(async (after) => {
    const { rows } = await pool.query(PLAIN_READ_SQL, [after, READ_BATCH]);
    return { count: rows.length, last: rows.length ? Number(rows[rows.length - 1].position) : after };
  }),
});

/** Tops `events` up to READ_EVENTS and gives `plain_events` exactly the same rows, both vacuumed. */
async function prepareReadTables(pool: Pool): Promise<number> {
  const count = async () => (await pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;
  const [sample] = newEvents(1);
  for (let missing = READ_EVENTS - (await count()); missing > 0; missing = READ_EVENTS - (await count())) {
    await pool.query(FILL_EVENTS_SQL, [Math.min(missing, FILL_CHUNK), sample.data, sample.metadata]);
  }
  await pool.query('TRUNCATE plain_events RESTART IDENTITY');
  await pool.query(COPY_TO_PLAIN_SQL);
  await pool.query('VACUUM ANALYZE events, plain_events');
  return count();
}

type Row = [label: string, store: number, plain: number];
const rate = (t: Tally, per: 'ops' | 'events') => (t[per] * 1000) / t.ms;

async function againstPlain(url: string): Promise<void> {
  const admin = newPool(url, 1);
  const appends: Row[] = [];
  let read: Row;
  try {
    await admin.query(PLAIN_TABLE_SQL);
    console.log(`${COMPARE_SCHEDULE}\n`);
    for (const [i, c] of [1, 4, 16].entries()) {
      const [store, plain] = await compare(url, c, [storeAppend(1), plainAppend(1)], i % 2 === 0);
      appends.push([`append 1 event, concurrency ${c} (appends/s)`, rate(store, 'ops'), rate(plain, 'ops')]);
    }
    const [store10, plain10] = await compare(url, 16, [storeAppend(10), plainAppend(10)], false);
    appends.push(['append 10 events, concurrency 16 (appends/s)', rate(store10, 'ops'), rate(plain10, 'ops')]);
    appends.push(['append 10 events, concurrency 16 (events/s)', rate(store10, 'events'), rate(plain10, 'events')]);

    const total = await prepareReadTables(admin);
    const [store, plain] = await compare(url, 1, [storeReadAll, plainReadAll], true);
    read = [`readAll, ${READ_BATCH} per call (events/s)`, rate(store, 'events'), rate(plain, 'events')];
    console.log(`readAll: ${total} rows in each table; events per pass: store ${store.events / store.ops}, ` +
      `plain ${plain.events / plain.ops}; timed passes: store ${store.ops}, plain ${plain.ops}\n`);
    if (store.events !== total * store.ops) console.log('WARNING: readAll missed rows (a transaction in flight?)\n');
  } finally {
    await admin.end();
  }
  const rows = [...appends, read].map(([label, store, plain]) => [label, fmt(store), fmt(plain), (store / plain).toFixed(2)]);
  printTable(['case', 'Passerelle', 'plain pg', 'store/plain'], rows);
  printTarget('append 1 event at concurrency 16 vs plain INSERT', appends[2][1] / appends[2][2], 0.7);
  printTarget('readAll vs plain SELECT', read[1] / read[2], 0.6);
  console.log();
}

async function bench(url: string): Promise<void> {
  if (COMPARE !== undefined && COMPARE !== 'appends' && COMPARE !== 'personal-data') {
    throw new Error(`BENCH_COMPARE=${COMPARE}: this bench knows BENCH_COMPARE=appends and BENCH_COMPARE=personal-data`);
  }
  const admin = newPool(url, 1);
  try {
    printMachine((await admin.query('SHOW server_version')).rows[0].server_version);
  } finally {
    await admin.end();
  }
  if (COMPARE === undefined) await againstPlain(url);
  if (COMPARE === undefined || COMPARE === 'personal-data') await personalDataCases(url, COMPARE_SCHEDULE);
  if (COMPARE === undefined || COMPARE === 'appends') await compareAppendModes(url, COMPARE_ROUNDS);
}

runBench(() => withBenchDatabase('bench_event_store', bench));
