import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@passerelle/testing';
import { PostgresEventStore } from './event-store';
import { SubscriptionRunner } from './subscription-runner';

/**
 * DESIGN.md principle 3: transactions commit out of the order of their positions; a reader must never
 * move past an event that can still commit. Sixteen writers, some holding their transaction open for a
 * random while and some rolling back, append while a subscription consumes.
 */
describe('reading all events under concurrent appends', () => {
  const WRITERS = 16;
  const TARGET = 10_000;
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let runner: SubscriptionRunner | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('gap_safety');
    pool = testPool(db.url, WRITERS + 4);
    store = new PostgresEventStore(pool);
    await pool.query('CREATE TABLE seen (seq bigserial PRIMARY KEY, position bigint NOT NULL, event_id uuid NOT NULL)');
  });

  afterAll(async () => {
    await runner?.stop();
    store.close();
    await pool.end();
    await db.drop();
  });

  it('hands every committed event to the consumer exactly once, in increasing position order, and no rolled-back one', async () => {
    runner = new SubscriptionRunner(
      store,
      {
        name: 'gap-safety',
        batchSize: 200,
        async handle(events, tx) {
          await tx.query(
            'INSERT INTO seen (position, event_id) SELECT p, i FROM unnest($1::bigint[], $2::uuid[]) WITH ORDINALITY AS e(p, i, o) ORDER BY o',
            [events.map((e) => e.position), events.map((e) => e.id)],
          );
        },
      },
      { connectionString: db.url, pollIntervalMs: 20 },
    );
    runner.start();

    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    let slowCommits = 0;
    let written = 0;
    const writer = async (w: number) => {
      for (let n = 0; written < TARGET; n += 1) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const count = 1 + ((w + n) % 3);
          const result = await store.append(
            `writer${w}-${n}`,
            Array.from({ length: count }, (_, i) => ({ type: 'Written', data: { w, n, i } })),
            { expectedVersion: 'no_stream', client },
          );
          const ids = result.events.map((e) => e.id);
          const roll = Math.random();
          if (roll < 0.1) {
            await client.query('ROLLBACK');
            ids.forEach((id) => rolledBack.add(id));
            continue;
          }
          if (roll < 0.35) {
            slowCommits += 1;
            await client.query('SELECT pg_sleep($1)', [Math.random() * 0.03]);
          }
          await client.query('COMMIT');
          ids.forEach((id) => committed.add(id));
          written += ids.length;
        } finally {
          client.release();
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const last = Number((await pool.query('SELECT max(position) AS p FROM events')).rows[0].p);
    expect(await runner.waitForPosition(last, 60_000)).toBe(true);
    await runner.stop();
    expect(runner.lastError).toBeNull();

    const seen = (await pool.query('SELECT position, event_id FROM seen ORDER BY seq')).rows.map((r) => ({
      position: Number(r.position),
      id: r.event_id as string,
    }));
    expect(committed.size).toBeGreaterThanOrEqual(TARGET);
    expect(rolledBack.size).toBeGreaterThan(0);
    expect(slowCommits).toBeGreaterThan(0);
    expect(seen.length).toBe(committed.size);
    expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
    expect(seen.filter((s) => !committed.has(s.id))).toEqual([]);
    expect(seen.filter((s) => rolledBack.has(s.id))).toEqual([]);
    const outOfOrder = seen.filter((s, i) => i > 0 && s.position <= seen[i - 1].position);
    expect(outOfOrder).toEqual([]);
  });
});
