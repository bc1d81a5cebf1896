import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@passerelle/testing';
import { PostgresEventStore } from './event-store';
import { defineProjection, type StoredEventOf } from './projection';
import { listParked } from './subscription-admin';
import { SubscriptionRunner } from './subscription-runner';
import type { ConsumerTransaction } from './subscription.types';

type ParcelEvent =
  | { type: 'ParcelSent'; data: { parcelId: string; weightGrams: number } }
  | { type: 'ParcelDelivered'; data: { parcelId: string; signedBy: string } }
  | { type: 'ParcelLost'; data: { parcelId: string } };
type Sent = StoredEventOf<ParcelEvent, 'ParcelSent'>;

describe('defineProjection with a SubscriptionRunner', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const runners: SubscriptionRunner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('projection');
    pool = testPool(db.url, 10);
    store = new PostgresEventStore(pool);
    for (const table of ['parcels_by_run', 'parcels_one_by_one']) {
      await pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, weight_grams int NOT NULL, signed_by text, version int NOT NULL)`);
    }
    // Parcels sent in a row (a run), delivered, one lost, and events the projection must pass over: a type
    // of another context in the same category, and a category it does not read.
    for (let i = 0; i < 40; i += 1) await store.append(`parcel-${i}`, [{ type: 'ParcelSent', data: { parcelId: `p${i}`, weightGrams: 100 + i } }], { expectedVersion: 'no_stream' });
    await store.append('parcel-3', [{ type: 'ParcelWeighed', data: { parcelId: 'p3', grams: 999 } }], { expectedVersion: 1 });
    await store.append('depot-1', [{ type: 'ParcelSent', data: { parcelId: 'not-a-parcel', weightGrams: 1 } }], { expectedVersion: 'no_stream' });
    for (let i = 0; i < 10; i += 1) {
      await store.append(`parcel-${i}`, [{ type: 'ParcelDelivered', data: { parcelId: `p${i}`, signedBy: `Signer ${i}` } }], { expectedVersion: 'any' });
    }
    await store.append('parcel-10', [{ type: 'ParcelLost', data: { parcelId: 'p10' } }], { expectedVersion: 'any' });
    for (let i = 40; i < 45; i += 1) await store.append(`parcel-${i}`, [{ type: 'ParcelSent', data: { parcelId: `p${i}`, weightGrams: 100 + i } }], { expectedVersion: 'no_stream' });
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  afterAll(async () => {
    store.close();
    await pool.end();
    await db.drop();
  });

  const runs: number[] = [];

  function parcels(table: string, byRun: boolean) {
    const insertSent = async (events: Sent[], tx: ConsumerTransaction) => {
      runs.push(events.length);
      await tx.query(
        `INSERT INTO ${table} (id, weight_grams, version) SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) ON CONFLICT (id) DO NOTHING`,
        [events.map((e) => e.data.parcelId), events.map((e) => e.data.weightGrams), events.map((e) => e.version)],
      );
    };
    return defineProjection<ParcelEvent>({
      name: table,
      categories: ['parcel'],
      handlers: {
        ParcelSent: async (event, tx) => {
          await tx.query(`INSERT INTO ${table} (id, weight_grams, version) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, [
            event.data.parcelId,
            event.data.weightGrams,
            event.version,
          ]);
        },
        ParcelDelivered: async (event, tx) => {
          await tx.query(`UPDATE ${table} SET signed_by = $2, version = $3 WHERE id = $1`, [event.data.parcelId, event.data.signedBy, event.version]);
        },
        ParcelLost: null,
      },
      runHandlers: byRun ? { ParcelSent: insertSent } : undefined,
      reset: async (tx) => {
        await tx.query(`TRUNCATE ${table}`);
      },
    });
  }

  function start(consumer: ReturnType<typeof parcels>): SubscriptionRunner {
    const runner = new SubscriptionRunner(store, consumer, { connectionString: db.url, pollIntervalMs: 200, lockRetryMs: 50, retry: { attempts: 2, baseDelayMs: 5 } });
    runners.push(runner);
    runner.start();
    return runner;
  }

  const head = async () => Number((await pool.query('SELECT max(position) AS position FROM events')).rows[0].position);
  const rows = async (table: string) => (await pool.query(`SELECT id, weight_grams, signed_by, version FROM ${table} ORDER BY id`)).rows;

  it('applies each event type with its handler, passes over the others, and reaches the head', async () => {
    const runner = start(parcels('parcels_one_by_one', false));
    expect(await runner.waitForPosition(await head(), 20_000)).toBe(true);

    const applied = await rows('parcels_one_by_one');
    expect(applied).toHaveLength(45);
    expect(applied.find((row) => row.id === 'p3')).toEqual({ id: 'p3', weight_grams: 103, signed_by: 'Signer 3', version: 3 });
    expect(applied.find((row) => row.id === 'p10')).toEqual({ id: 'p10', weight_grams: 110, signed_by: null, version: 1 });
    expect(applied.find((row) => row.id === 'not-a-parcel')).toBeUndefined();
    expect(await listParked(pool, 'parcels_one_by_one')).toEqual([]);
  });

  it('gives the same rows with runHandlers, applying the runs of ParcelSent at once', async () => {
    runs.length = 0;
    const runner = start(parcels('parcels_by_run', true));
    expect(await runner.waitForPosition(await head(), 20_000)).toBe(true);

    expect(await rows('parcels_by_run')).toEqual(await rows('parcels_one_by_one'));
    expect(runs).toEqual([40, 5]);
    expect(await listParked(pool, 'parcels_by_run')).toEqual([]);
  });

  it('rebuilds its read model from position 0 through reset', async () => {
    const runner = start(parcels('parcels_by_run', true));
    expect(await runner.waitForPosition(await head(), 20_000)).toBe(true);
    await pool.query("UPDATE parcels_by_run SET signed_by = 'nobody'"); // a read model gone wrong
    await runner.rebuild();
    expect(await runner.waitForPosition(await head(), 20_000)).toBe(true);
    expect(await rows('parcels_by_run')).toEqual(await rows('parcels_one_by_one'));
  });
});
