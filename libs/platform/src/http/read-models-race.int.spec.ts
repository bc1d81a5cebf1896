import type { Pool } from 'pg';
import { PostgresEventStore, SubscriptionRunner } from '@passerelle/event-store-postgres';
import { CATEGORY_CONSUMERS, createTestDatabase, LOAD_CATEGORIES, testConfig, testPool, type CommittedWrite, type TestDatabase, writeConcurrently } from '@passerelle/testing';
import { EventStorePool } from '../database/event-store.provider';
import { ReadModels } from './read-models';
import { SystemClock } from '../runtime/clock';

const CATEGORIES = LOAD_CATEGORIES;
const CONSUMERS = CATEGORY_CONSUMERS;

/**
 * X-Min-Position under the gap-safety load: sixteen writers append to five categories, consumers of one,
 * two and three of them run as in production, and after each commit of half of the writers a read waits (as
 * one with X-Min-Position does) for a consumer of that write's categories to reach its position. When the wait returns,
 * the consumer must have applied every committed event of its categories at or below
 * that position: the write's own, and those of transactions still open below it when the write committed.
 */
describe('ReadModels.reached racing concurrent writers', () => {
  let db: TestDatabase;
  /** The API's pool, for the reads; the writers have their own. */
  let pool: EventStorePool;
  let writerPool: Pool;
  let store: PostgresEventStore;
  let readModels: ReadModels;
  const runners: SubscriptionRunner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('read_models_race');
    pool = new EventStorePool(testConfig(db.url));
    writerPool = testPool(db.url, 20);
    store = new PostgresEventStore(writerPool);
    readModels = new ReadModels(pool, new SystemClock());
    await pool.query('CREATE TABLE seen (consumer text NOT NULL, position bigint NOT NULL, event_id uuid NOT NULL)');
    await pool.query('CREATE INDEX seen_position ON seen (consumer, position)');
  });

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    store.close();
    await writerPool.end();
    await pool.end();
    await db.drop();
  });

  it('never returns before the consumer has applied the write whose position it waited for', async () => {
    for (const { name, categories } of CONSUMERS) {
      const runner = new SubscriptionRunner(
        store,
        {
          name,
          categories,
          batchSize: 200,
          async handle(events, tx) {
            await tx.query('INSERT INTO seen (consumer, position, event_id) SELECT $1, p, i FROM unnest($2::bigint[], $3::uuid[]) AS e(p, i)', [
              name,
              events.map((e) => e.position),
              events.map((e) => e.id),
            ]);
          },
        },
        { connectionString: db.url },
      );
      runners.push(runner);
      runner.start();
    }

    const returns: { consumer: string; categories: string[]; position: number; applied: number }[] = [];
    const reads: Promise<void>[] = [];
    const readAfter = async (write: CommittedWrite) => {
      // Each consumer in turn, whether it reads this write's categories or not: a read of one projection
      // after a write to another's still waits for the events of its own categories below that position.
      const { name, categories } = CONSUMERS[reads.length % CONSUMERS.length];
      await readModels.reached([name], write.position, 30_000);
      // How many events of its categories up to that position the consumer had applied when the wait
      // returned; compared at the end with how many were committed there, in case some were still in flight.
      const applied = (await pool.query('SELECT count(*)::int AS n FROM seen WHERE consumer = $1 AND position <= $2', [name, write.position])).rows[0].n;
      returns.push({ consumer: name, categories, position: write.position, applied });
    };
    const load = await writeConcurrently(store, writerPool, {
      categories: CATEGORIES,
      writers: 16,
      target: 10_000,
      // Long enough for reads to come and go while a transaction below their position is still open.
      holdMs: 150,
      async afterCommit(write) {
        // A read with X-Min-Position from the writer's client, while the other writers go on.
        if (write.writer % 2 === 1) reads.push(readAfter(write));
      },
    });

    await Promise.all(reads);
    const waits = reads.length;
    const events = (await pool.query('SELECT position, category FROM events ORDER BY position')).rows.map((r) => ({
      position: Number(r.position),
      category: r.category as string,
    }));
    const early = returns
      .map((r) => ({ ...r, committed: events.filter((e) => e.position <= r.position && r.categories.includes(e.category)).length }))
      .filter((r) => r.applied !== r.committed)
      .map(({ consumer, position, applied, committed }) => ({ consumer, position, applied, committed }));
    expect(load.committed.size).toBeGreaterThanOrEqual(10_000);
    expect(load.rolledBack.size).toBeGreaterThan(0);
    expect(load.slowCommits).toBeGreaterThan(0);
    expect(waits).toBeGreaterThan(1_000);
    expect({ waits, returnedEarly: early.length, first: early.slice(0, 3) }).toEqual({ waits, returnedEarly: 0, first: [] });
    expect(runners.map((runner) => runner.lastError)).toEqual([null, null, null]);
  });
});
