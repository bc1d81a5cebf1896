import type { Pool } from 'pg';
import type { PostgresEventStore } from '@passerelle/event-store-postgres';

/** The categories the gap-safety load writes to, and consumers reading one, two and three of them. */
export const LOAD_CATEGORIES = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
export const CATEGORY_CONSUMERS = [
  { name: 'one-category', categories: ['bravo'] },
  { name: 'two-categories', categories: ['alpha', 'delta'] },
  { name: 'three-categories', categories: ['bravo', 'charlie', 'echo'] },
];

/** One committed transaction: its events' ids, categories and positions, and the position of its last event. */
export interface CommittedWrite {
  writer: number;
  position: number;
  events: { id: string; category: string; position: number }[];
}

export interface WriteLoad {
  /** Every committed event, by id. */
  committed: Map<string, { category: string; position: number }>;
  rolledBack: Set<string>;
  /** Transactions held open for a while before they committed. */
  slowCommits: number;
}

export interface WriteLoadOptions {
  categories: string[];
  writers?: number;
  /** Committed events to reach before the writers stop. */
  target?: number;
  /** The longest a slow writer holds its transaction open, in ms (a random while up to this). */
  holdMs?: number;
  /** Called after each commit, before the writer goes on (to race a read against the writers). */
  afterCommit?: (write: CommittedWrite) => Promise<void>;
}

/**
 * DESIGN.md principle 3 under load: concurrent writers whose transactions commit out of position order.
 * A quarter of the writers hold each transaction open for a random while before committing, a tenth of
 * all transactions roll back, and a transaction appends to one or two streams of different categories.
 */
export async function writeConcurrently(store: PostgresEventStore, pool: Pool, options: WriteLoadOptions): Promise<WriteLoad> {
  const { categories, writers = 16, target = 10_000, holdMs = 30, afterCommit } = options;
  const load: WriteLoad = { committed: new Map(), rolledBack: new Set(), slowCommits: 0 };
  const writer = async (w: number) => {
    for (let n = 0; load.committed.size < target; n += 1) {
      const streams = [categories[(w + n) % categories.length]];
      const second = categories[(w + 2 * n + 1) % categories.length];
      if (n % 2 === 1 && second !== streams[0]) streams.push(second);
      const client = await pool.connect();
      let write: CommittedWrite | null = null;
      try {
        await client.query('BEGIN');
        const events: CommittedWrite['events'] = [];
        for (const [s, category] of streams.entries()) {
          const count = 1 + ((w + n + s) % 3);
          const result = await store.append(
            `${category}-w${w}n${n}s${s}`,
            Array.from({ length: count }, (_, i) => ({ type: 'Written', data: { w, n, s, i } })),
            { expectedVersion: 'no_stream', client },
          );
          events.push(...result.events.map((e) => ({ id: e.id, category, position: e.position })));
        }
        if (Math.random() < 0.1) {
          await client.query('ROLLBACK');
          events.forEach((e) => load.rolledBack.add(e.id));
          continue;
        }
        if (w % 4 === 0) {
          load.slowCommits += 1;
          await client.query('SELECT pg_sleep($1)', [(Math.random() * holdMs) / 1000]);
        }
        await client.query('COMMIT');
        events.forEach((e) => load.committed.set(e.id, { category: e.category, position: e.position }));
        write = { writer: w, position: Math.max(...events.map((e) => e.position)), events };
      } finally {
        client.release();
      }
      if (write && afterCommit) await afterCommit(write);
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  return load;
}
