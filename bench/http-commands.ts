/**
 * The HTTP command path against the plain event-store append, measured in one run.
 * Run by hand: npm run bench:http (node -r @swc-node/register bench/http-commands.ts).
 *
 * The API runs as its own process (as in production); autocannon drives, from this process,
 * `POST /api/proposals` then `POST /api/proposals/:id/submit` on each connection, at 16 and 64
 * connections. The baseline is `PostgresEventStore.append` of one event to a new stream at the same
 * concurrency, in this process. This machine's speed drifts from minute to minute, so each connection
 * count is measured in BENCH_ROUNDS rounds (default 5). A round is four halves of 5 s in the order
 * plain, HTTP, HTTP, plain, so that a machine speeding up or slowing down through the round favours
 * neither side; each round prints its own ratio, and the verdict is on the median of the rounds' ratios. Then the
 * HTTP cases once more with two API processes (two copies of the API, as behind a load balancer), half
 * the connections to each, against the one-process rounds' median baseline (two API processes' pools
 * beside 64 more connections would pass PostgreSQL's limit). Creates and drops its own database.
 *
 * Beside each HTTP case: the API processes' CPU time (user + system, and system alone) per request.
 * Beside each side of a round (its two halves together): how busy the machine's cores were and how much
 * of their time the hypervisor took (steal, from /proc/stat), since sides that lost different shares to
 * steal compare unlike minutes; and the CPU time per operation of PostgreSQL's processes and of this
 * process (the store client on the plain side, autocannon on the HTTP side). With the API's, that is
 * where the machine's time went.
 *
 * BENCH_COMPARE=stream-cache measures instead whether the stream cache pays (http-stream-cache.ts), in
 * BENCH_ROUNDS rounds of four runs of BENCH_SECONDS / 2 s. BENCH_SECONDS (default 10) shortens a trial run.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { createTestDatabase } from '@passerelle/testing';
import type { AppProcess } from '../test/support/processes';
import { compareStreamCache } from './http-stream-cache';
import { httpCommands, type Load, partnerToken, proposal, startApi, stopApis } from './http-load';
import { cpuMs, cpuTicks, loadAverage, median, postgresCpu, tableAsMeasured, verdict } from './support';

/** Seconds of each side in a round, as two halves (plain, HTTP, HTTP, plain); BENCH_SECONDS for short trial runs. */
const SECONDS = Math.max(2, Number(process.env.BENCH_SECONDS ?? 10));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const TARGET = 0.4;

/**
 * What a span of load did and cost: its operations (appends or requests), the machine's CPU ticks
 * (busy, stolen, all), and the CPU time of PostgreSQL's processes, of this process (the store client,
 * or autocannon) and of the API processes. Two spans add up, and the figures come from the sums.
 */
interface Span {
  operations: number;
  seconds: number;
  busyTicks: number;
  stealTicks: number;
  allTicks: number;
  postgresMs: number;
  benchUs: number;
  apiMs: number;
  apiSystemMs: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** Runs `work` for `seconds`, counting what the machine spent meanwhile. A process that ends during it drops out of the count; the pools at work stay open, so only idle ones could. */
async function span(seconds: number, apiPids: number[], work: () => Promise<Load>): Promise<Span> {
  const ticks = cpuTicks();
  const postgres = postgresCpu();
  const bench = process.cpuUsage();
  const api = apiPids.map(cpuMs);
  const load = await work();
  const { user, system } = process.cpuUsage(bench);
  const ticksAfter = cpuTicks();
  let postgresMs = 0;
  for (const [pid, ms] of postgresCpu()) postgresMs += ms - (postgres.get(pid) ?? 0);
  const apiAfter = apiPids.map(cpuMs);
  const all = ticksAfter.total - ticks.total;
  return {
    operations: load.operations,
    seconds,
    busyTicks: all - (ticksAfter.idle - ticks.idle),
    stealTicks: ticksAfter.steal - ticks.steal,
    allTicks: all,
    postgresMs,
    benchUs: user + system,
    apiMs: apiAfter.reduce((sum, cpu, i) => sum + cpu.total - api[i].total, 0),
    apiSystemMs: apiAfter.reduce((sum, cpu, i) => sum + cpu.system - api[i].system, 0),
    p50: load.p50 ?? 0,
    p99: load.p99 ?? 0,
    non2xx: load.non2xx ?? 0,
  };
}

function joined(a: Span, b: Span): Span {
  const sum = (key: keyof Span) => a[key] + b[key];
  return {
    operations: sum('operations'),
    seconds: sum('seconds'),
    busyTicks: sum('busyTicks'),
    stealTicks: sum('stealTicks'),
    allTicks: sum('allTicks'),
    postgresMs: sum('postgresMs'),
    benchUs: sum('benchUs'),
    apiMs: sum('apiMs'),
    apiSystemMs: sum('apiSystemMs'),
    p50: Math.max(a.p50, b.p50),
    p99: Math.max(a.p99, b.p99),
    non2xx: sum('non2xx'),
  };
}

const rateOf = (s: Span) => s.operations / s.seconds;
/** The share of the two cores busy (steal included) / the share the hypervisor took, in %. */
const machineOf = (s: Span) => `${((100 * s.busyTicks) / Math.max(1, s.allTicks)).toFixed(0)}/${((100 * s.stealTicks) / Math.max(1, s.allTicks)).toFixed(0)}`;
const perOperation = (s: Span, us: number) => (us / Math.max(1, s.operations)).toFixed(0);
/** The plain side's and the HTTP side's figures side by side, as `plain/HTTP` ("-" for a side not measured here). */
const pair = (plain: string | undefined, http: string) => `${plain ?? '-'}/${http}`;

/** Appends, one event to a new stream each, straight into the store at `concurrency`, from a pool of its own (connected before the span, closed after). */
async function plainAppends(url: string, concurrency: number, seconds: number): Promise<Span> {
  const pool = new Pool({ connectionString: url, max: concurrency });
  const store = new PostgresEventStore(pool);
  try {
    await Promise.all(Array.from({ length: concurrency }, () => pool.query('SELECT 1')));
    return await span(seconds, [], async () => ({ operations: await appendFor(store, concurrency, seconds) }));
  } finally {
    store.close();
    await pool.end();
  }
}

async function appendFor(store: PostgresEventStore, concurrency: number, seconds: number): Promise<number> {
  const data = JSON.parse(proposal);
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await store.append(`proposal-${randomUUID()}`, [{ type: 'ProposalDrafted', data }], { expectedVersion: 'no_stream' });
        count += 1;
      }
    }),
  );
  return count;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_http');
  const apis: AppProcess[] = [];
  const startOne = async (): Promise<string> => {
    const { api, base } = await startApi(db);
    apis.push(api);
    return base;
  };
  try {
    const first = await startOne();
    const token = await partnerToken(first, db.url);
    const half = SECONDS / 2;
    console.log(`load average ${loadAverage()}; ${ROUNDS} rounds of plain, HTTP, HTTP, plain, ${half} s each; each API process has 20 pg connections`);
    console.log('\nmachine %: the share of the two cores busy / the share the hypervisor took (steal), during the plain appends, then during the HTTP case');
    console.log("PostgreSQL µs/op and bench µs/op: the CPU time of PostgreSQL's processes, and of this process (the store client, then autocannon), per append / per request");
    console.log();
    const row = tableAsMeasured([
      'API processes', 'connections', 'round', 'HTTP req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'API CPU µs/req (sys)', 'plain appends/s',
      'HTTP/plain', 'machine % plain', 'machine % HTTP', 'PostgreSQL µs/op plain/HTTP', 'bench µs/op plain/HTTP',
    ]);
    const bases = [first];
    const http = (connections: number) => span(half, apis.map((api) => api.child.pid!), () => httpCommands(bases, token, connections, half));
    /** One line: the HTTP side, with its API CPU per request, beside its baseline (the plain side's span, or only a rate). */
    const report = (connections: number, round: string, web: Span, plain: Span | number): number => {
      const plainRate = typeof plain === 'number' ? plain : rateOf(plain);
      const side = typeof plain === 'number' ? undefined : plain;
      const ratio = rateOf(web) / plainRate;
      const apiCpu = `${perOperation(web, web.apiMs * 1000)} (${perOperation(web, web.apiSystemMs * 1000)})`;
      const postgres = pair(side && perOperation(side, side.postgresMs * 1000), perOperation(web, web.postgresMs * 1000));
      const bench = pair(side && perOperation(side, side.benchUs), perOperation(web, web.benchUs));
      row([
        String(bases.length), String(connections), round, rateOf(web).toFixed(0), String(web.p50), String(web.p99), String(web.non2xx), apiCpu,
        plainRate.toFixed(0), ratio.toFixed(2), side ? machineOf(side) : 'median', machineOf(web), postgres, bench,
      ]);
      return ratio;
    };
    const verdicts: string[] = [];
    const medianPlain = new Map<number, number>();
    for (const connections of [16, 64]) {
      await httpCommands(bases, token, connections, SECONDS); // warm-up run, discarded
      const ratios: number[] = [];
      const plains: number[] = [];
      for (let round = 1; round <= ROUNDS; round += 1) {
        const plainFirst = await plainAppends(db.url, connections, half);
        const web = joined(await http(connections), await http(connections));
        const plain = joined(plainFirst, await plainAppends(db.url, connections, half));
        plains.push(rateOf(plain));
        ratios.push(report(connections, String(round), web, plain));
      }
      medianPlain.set(connections, median(plains));
      const ratio = median(ratios);
      verdicts.push(
        `1 API process, ${connections} connections: median HTTP/plain ${ratio.toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')}): ` +
          `${verdict(ratio, TARGET)} (target ${TARGET})`,
      );
    }
    bases.push(await startOne());
    for (const connections of [16, 64]) {
      await httpCommands(bases, token, connections, SECONDS); // warm-up run, discarded
      const ratio = report(connections, '-', joined(await http(connections), await http(connections)), medianPlain.get(connections)!);
      verdicts.push(`2 API processes, ${connections} connections: HTTP/plain ${ratio.toFixed(2)} against the median baseline above`);
    }
    console.log(`\n${verdicts.join('\n')}`);
    // For reference, the framework's own cost: one API process answering 404 to an unknown path (no
    // token, no validation, no database), which bounds what any command could reach here.
    await autocannon({ url: `${first}/api/no-such-path`, connections: 16, duration: 2 });
    const floor = await autocannon({ url: `${first}/api/no-such-path`, connections: 16, duration: SECONDS });
    console.log(
      `\nFor reference, one API process answering 404 to an unknown path (16 connections): ${floor.requests.average.toFixed(0)} req/s, ` +
        `${(floor.requests.average / medianPlain.get(16)!).toFixed(2)} of the median plain append rate.`,
    );
  } finally {
    await stopApis(apis);
    await db.drop();
  }
}

const compare = process.env.BENCH_COMPARE;
if (compare && compare !== 'stream-cache') throw new Error(`BENCH_COMPARE=${compare}: this bench knows only BENCH_COMPARE=stream-cache`);
(compare ? compareStreamCache(ROUNDS, SECONDS / 2) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
