/**
 * Do the specialised append statements pay? The same appends through a store with
 * `specialisedAppends: true` (a statement for each case) and `false` (the one general statement), at
 * concurrency 16, in balanced rounds (A B B A, A = specialised), each side with its own pool and store
 * (production defaults otherwise, NOTIFY included). One verdict per case: the specialised statements
 * stay only if one of the cases production runs gains 10% or more.
 */
import type { PoolClient } from 'pg';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { newEvents, newPool, nextStream, type Op, run } from './event-store-load';
import { balancedRatios, fmt, printGain, tableAsMeasured } from './support';

const CONCURRENCY = 16;
const WARMUP_MS = 500;
const ROUND_MS = 1000;

/** The commands' appends: one event alone (no idempotency key), one inside a transaction (with one), and several at once. */
const CASES = [
  { label: 'append 1 event alone', size: 1, inTransaction: false },
  { label: 'append 1 event in a transaction', size: 1, inTransaction: true },
  { label: 'append 10 events alone', size: 10, inTransaction: false },
];

function appendOp(store: PostgresEventStore, size: number, inTransaction: boolean): Op {
  const append = (client?: PoolClient) =>
    store.append(nextStream(), newEvents(size), { expectedVersion: 'no_stream', client }).then((r) => r.events.length);
  return inTransaction ? () => store.transaction((client) => append(client)) : () => append();
}

/** Runs every case in `cycles` rounds and prints, per case, each run, each round's ratio, the median gain and the verdict. */
export async function compareAppendModes(url: string, cycles: number): Promise<void> {
  console.log(
    `Specialised vs general append statements (EventStoreOptions.specialisedAppends), concurrency ${CONCURRENCY}: ` +
      `${WARMUP_MS} ms warm-up per side, then ${cycles} rounds of A B B A, ${ROUND_MS} ms each (A = specialised)\n`,
  );
  const sides = [true, false].map((specialisedAppends) => {
    const pool = newPool(url, CONCURRENCY);
    return { pool, store: new PostgresEventStore(pool, { specialisedAppends }) };
  });
  try {
    for (const { label, size, inTransaction } of CASES) {
      const ops = sides.map(({ store }) => appendOp(store, size, inTransaction));
      for (const op of ops) await run(op, CONCURRENCY, WARMUP_MS);
      console.log(`${label}, concurrency ${CONCURRENCY}`);
      const row = tableAsMeasured(['round', 'side       ', 'appends/s']);
      const ratios = await balancedRatios(
        cycles,
        async (side) => {
          const t = await run(ops[side], CONCURRENCY, ROUND_MS);
          return (t.ops * 1000) / t.ms;
        },
        (round, side, rate) => row([String(round), side === 0 ? 'specialised' : 'general', fmt(rate)]),
      );
      console.log();
      printGain(label, ratios, 'specialised', 'general');
      console.log();
    }
  } finally {
    for (const { pool, store } of sides) {
      store.close();
      await pool.end();
    }
  }
}
