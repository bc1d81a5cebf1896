import type { Pool } from 'pg';
import { CATEGORY_CONSUMERS, createTestDatabase, LOAD_CATEGORIES, testPool, type TestDatabase, type WriteLoad, writeConcurrently } from '@passerelle/testing';
import { PostgresEventStore, SubscriptionRunner } from './index';

const CATEGORIES = LOAD_CATEGORIES;
const CONSUMERS = CATEGORY_CONSUMERS;

/**
 * The gap-safety proof on the path production consumers take: they declare categories, read through the
 * category query, and move their checkpoint to the safe bound when they find nothing of theirs. Sixteen
 * writers append to five categories while consumers of one, two and three of them run as production
 * runs them (default poll, woken by appends).
 */
describe('reading some categories under concurrent appends', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const runners: SubscriptionRunner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('category_gap_safety');
    pool = testPool(db.url, 20);
    store = new PostgresEventStore(pool);
    await pool.query('CREATE TABLE seen (seq bigserial PRIMARY KEY, consumer text NOT NULL, position bigint NOT NULL, event_id uuid NOT NULL)');
  });

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    store.close();
    await pool.end();
    await db.drop();
  });

  it('hands each consumer every committed event of its categories exactly once, in position order, and nothing else', async () => {
    for (const { name, categories } of CONSUMERS) {
      const runner = new SubscriptionRunner(
        store,
        {
          name,
          categories,
          batchSize: 200,
          async handle(events, tx) {
            await tx.query(
              'INSERT INTO seen (consumer, position, event_id) SELECT $1, p, i FROM unnest($2::bigint[], $3::uuid[]) WITH ORDINALITY AS e(p, i, o) ORDER BY o',
              [name, events.map((e) => e.position), events.map((e) => e.id)],
            );
          },
        },
        { connectionString: db.url },
      );
      runners.push(runner);
      runner.start();
    }

    const load = await writeConcurrently(store, pool, { categories: CATEGORIES, writers: 16, target: 10_000 });
    const last = Number((await pool.query('SELECT max(position) AS p FROM events')).rows[0].p);
    const reached = await Promise.all(runners.map((runner) => runner.waitForPosition(last, 30_000)));
    await Promise.all(runners.map((runner) => runner.stop()));

    expect(load.committed.size).toBeGreaterThanOrEqual(10_000);
    expect(load.rolledBack.size).toBeGreaterThan(0);
    expect(load.slowCommits).toBeGreaterThan(0);
    const outcomes = await Promise.all(CONSUMERS.map(({ name, categories }) => outcome(name, categories, load)));
    expect(outcomes).toMatchObject(
      CONSUMERS.map(({ name }) => ({ consumer: name, lost: 0, duplicated: 0, foreign: 0, rolledBack: 0, outOfOrder: 0 })),
    );
    expect(outcomes.map((o) => o.expected).every((n) => n > 1_000)).toBe(true);
    expect(reached).toEqual([true, true, true]);
    expect(runners.map((runner) => runner.lastError)).toEqual([null, null, null]);
  });

  /** How the events a consumer saw differ from the committed events of its categories. */
  async function outcome(consumer: string, categories: string[], load: WriteLoad) {
    const seen = (await pool.query('SELECT position, event_id FROM seen WHERE consumer = $1 ORDER BY seq', [consumer])).rows.map((r) => ({
      position: Number(r.position),
      id: r.event_id as string,
    }));
    const expected = [...load.committed].filter(([, e]) => categories.includes(e.category)).map(([id]) => id);
    const seenIds = new Set(seen.map((s) => s.id));
    const result = {
      consumer,
      lost: expected.filter((id) => !seenIds.has(id)).length,
      duplicated: seen.length - seenIds.size,
      foreign: seen.filter((s) => load.committed.has(s.id) && !categories.includes(load.committed.get(s.id)!.category)).length,
      rolledBack: seen.filter((s) => load.rolledBack.has(s.id)).length,
      outOfOrder: seen.filter((s, i) => i > 0 && s.position <= seen[i - 1].position).length,
    };
    return Object.assign(result, { expected: expected.length });
  }
});
