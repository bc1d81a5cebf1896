/** The event store bench's workload: events to append, streams to append them to, and timed runs of an operation. */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';

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
