/** The event store bench's workload: events to append, streams to append them to, and timed runs of an operation. */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { balancedOrder } from './support';

export const WARMUP_MS = 500;
export const ROUND_MS = 1000;
const ABBA_CYCLES = 2; // each side runs 2 x ABBA_CYCLES timed rounds per case: A B B A A B B A

/** About 300 bytes of data and 150 of metadata, fresh ids every time, the same for both sides. */
export function newEvents(count: number) {
  return Array.from({ length: count }, () => ({
    type: 'WorkshopScheduled',
    data: {
      workshopId: randomUUID(), programmeId: 'prog-2026-sahel-education', title: 'Atelier : formation des enseignants',
      startsAt: '2026-03-14T09:00:00.000Z', endsAt: '2026-03-16T17:00:00.000Z', venue: { city: 'Dakar', country: 'SN' },
      capacity: 40, organiserId: randomUUID(),
    },
    metadata: { actor: randomUUID(), correlationId: randomUUID(), causationId: randomUUID() },
  }));
}

let streams = 0;
/** A new stream of category "bench", for the store and the plain table alike. */
export const nextStream = () => `bench-${++streams}`;

/** One unit of work; resolves to the number of events it wrote or read. */
export type Op = () => Promise<number>;

export interface Tally { ops: number; events: number; ms: number }

/** `concurrency` workers repeat `op` until `ms` have passed; every started op is finished and counted. */
export async function run(op: Op, concurrency: number, ms: number): Promise<Tally> {
  const tally = { ops: 0, events: 0, ms: 0 };
  const start = performance.now();
  const worker = async () => {
    while (performance.now() - start < ms) {
      const events = await op(); // not `tally.events += await op()`: that reads the total before awaiting
      tally.events += events;
      tally.ops += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  tally.ms = performance.now() - start;
  return tally;
}

/** Idle connections die when the database is dropped early (Ctrl-C); that must not crash the drop. */
export function newPool(url: string, max: number): Pool {
  return new Pool({ connectionString: url, max, application_name: 'bench' }).on('error', () => undefined);
}

/** One side of a comparison, given its own pool: its unit of work, and what to close after it. */
export type Variant = (pool: Pool) => { op: Op; close?: () => void };

/** How `compare` times its sides: the same for every case of the bench. */
export const COMPARE_SCHEDULE = `${WARMUP_MS} ms warm-up, then ${2 * ABBA_CYCLES} x ${ROUND_MS} ms per side and case, ABBA order`;

/**
 * Warms up both sides, then times them in alternating ABBA rounds, each side with a pool of `concurrency`;
 * `firstFirst`: the first variant opens the order.
 */
export async function compare(url: string, concurrency: number, variants: Variant[], firstFirst: boolean): Promise<Tally[]> {
  const sides = variants.map((variant) => {
    const pool = newPool(url, concurrency);
    return { pool, ...variant(pool) };
  });
  const order = balancedOrder(ABBA_CYCLES, firstFirst ? 0 : 1);
  const totals = sides.map(() => ({ ops: 0, events: 0, ms: 0 }));
  try {
    for (const i of order.slice(0, 2)) await run(sides[i].op, concurrency, WARMUP_MS);
    for (const i of order) {
      const t = await run(sides[i].op, concurrency, ROUND_MS);
      totals[i] = { ops: totals[i].ops + t.ops, events: totals[i].events + t.events, ms: totals[i].ms + t.ms };
    }
    return totals;
  } finally {
    for (const side of sides) {
      side.close?.();
      await side.pool.end();
    }
  }
}
