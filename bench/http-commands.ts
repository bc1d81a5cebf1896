/**
 * The HTTP command path against the plain event-store append, measured in one run.
 * Run by hand: npm run bench:http (node -r @swc-node/register bench/http-commands.ts).
 *
 * The API runs as its own process (as in production); autocannon drives, from this process,
 * `POST /api/proposals` then `POST /api/proposals/:id/submit` on each connection, at 16 and 64
 * connections. The baseline is `PostgresEventStore.append` of one event to a new stream at the same
 * concurrency, in this process. This machine's speed drifts from minute to minute, so each connection
 * count is measured in BENCH_ROUNDS rounds (default 3), each a baseline then the HTTP case right after
 * it; each round prints its own ratio, and the verdict is on the median of the rounds' ratios. Then the
 * HTTP cases once more with two API processes (two copies of the API, as behind a load balancer), half
 * the connections to each, against the one-process rounds' median baseline (two API processes' pools
 * beside 64 more connections would pass PostgreSQL's limit). Creates and drops its own database. Beside
 * each HTTP case: the API processes' CPU time (user + system, and system alone) per request. Beside each
 * half of a round: how busy the machine's cores were and how much of their time the hypervisor took
 * (steal, from /proc/stat), since a round whose halves lost different shares to steal compares unlike minutes.
 * And beside each half, the CPU time per operation of PostgreSQL's processes and of this process (the
 * store client in the plain half, autocannon in the HTTP half): with the API's, where the machine's time went.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { PostgresEventStore } from '@passerelle/event-store';
import { createTestDatabase, waitFor } from '@passerelle/testing';
import { type AppProcess, runApp } from '../test/support/processes';

const SECONDS = 10;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const TARGET = 0.4;
const PASSWORD = 'bench-partner-password';

const proposal = JSON.stringify({
  title: 'AI-assisted screening in rural clinics',
  summary: 'Training district health officers to use triage models; field visits in two provinces.',
  sectors: ['healthcare', 'education'],
  countries: ['ZM', 'ID'],
  durationMonths: 24,
  budget: { amount: 250000, currency: 'USD' },
});

/** CPU time a process has used so far, in ms, from /proc (Linux): user + system, and system alone. */
function cpuMs(pid: number): { total: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const system = Number(fields[12]) * 10;
  return { total: Number(fields[11]) * 10 + system, system };
}

/** The machine's CPU counters (all cores, in clock ticks) from /proc/stat: idle (with I/O wait), stolen by the hypervisor, and all. */
interface CpuTicks {
  idle: number;
  steal: number;
  total: number;
}

function cpuTicks(): CpuTicks {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: fields[3] + fields[4], steal: fields[7], total: fields.reduce((sum, n) => sum + n, 0) };
}

/** The machine over a span: the share of its CPU time busy (steal included) and the share the hypervisor took (steal), in %. */
interface MachineShare {
  busy: number;
  steal: number;
}

function machineSince(start: CpuTicks): MachineShare {
  const end = cpuTicks();
  const total = Math.max(1, end.total - start.total);
  return { busy: (100 * (total - (end.idle - start.idle))) / total, steal: (100 * (end.steal - start.steal)) / total };
}

const shares = ({ busy, steal }: MachineShare) => `${busy.toFixed(0)}/${steal.toFixed(0)}`;

/** CPU time (ms) of each PostgreSQL process now running, by pid: its backends, and its own writers. */
function postgresCpu(): Map<string, number> {
  const found = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') found.set(pid, cpuMs(Number(pid)).total);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return found;
}

/** Where a half's CPU went besides the API, in µs per operation: PostgreSQL's processes, and this process (the store client, or autocannon). */
interface OthersCpu {
  postgres: number;
  bench: number;
}

/** Starts counting; the function returned gives the split for `operations` done since. A process that ends meanwhile drops out of the count; the pools at work stay open over their half, so only idle ones could. */
function othersCpu(): (operations: number) => OthersCpu {
  const postgres = postgresCpu();
  const bench = process.cpuUsage();
  return (operations) => {
    let postgresMs = 0;
    for (const [pid, ms] of postgresCpu()) postgresMs += ms - (postgres.get(pid) ?? 0);
    const { user, system } = process.cpuUsage(bench);
    return { postgres: (postgresMs * 1000) / operations, bench: (user + system) / operations };
  };
}

/** The plain half's and the HTTP half's figures side by side, as `plain/HTTP` ("-" for a half not measured here). */
const pair = (plain: number | undefined, http: number) => `${plain === undefined ? '-' : plain.toFixed(0)}/${http.toFixed(0)}`;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function partnerToken(base: string, url: string): Promise<string> {
  const pool = new Pool({ connectionString: url });
  const { hashPassword } = await import('@passerelle/platform');
  await pool.query(`INSERT INTO users (id, email, full_name, role, password_hash, institution_id) VALUES ($1, 'bench@partner.test', 'Bench', 'partner', $2, $3)`, [
    randomUUID(),
    await hashPassword(PASSWORD),
    randomUUID(),
  ]);
  await pool.end();
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@partner.test', password: PASSWORD }) });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Each connection creates a proposal, then submits it, again and again; connections spread over the API processes. */
async function httpCommands(bases: string[], token: string, connections: number): Promise<{ rate: number; p50: number; p99: number; non2xx: number }> {
  const results = await Promise.all(bases.map((base) => httpCommandsOn(base, token, Math.round(connections / bases.length))));
  return {
    rate: results.reduce((sum, r) => sum + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

function httpCommandsOn(base: string, token: string, connections: number): Promise<autocannon.Result> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return autocannon({
    url: base,
    connections,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/proposals',
        headers,
        body: proposal,
        onResponse: (status, body, context) => {
          if (status === 201) (context as { id?: string }).id = JSON.parse(body).id;
        },
      },
      {
        method: 'POST',
        setupRequest: (request, context) => ({ ...request, path: `/api/proposals/${(context as { id?: string }).id}/submit`, headers, body: '' }),
      },
    ],
  });
}

/** The same number of appends, one event to a new stream each, straight into the store (a pool of its own, closed after). */
async function plainAppends(url: string, concurrency: number): Promise<{ rate: number; machine: MachineShare; others: OthersCpu }> {
  const pool = new Pool({ connectionString: url, max: concurrency });
  const store = new PostgresEventStore(pool);
  try {
    const start = cpuTicks();
    const others = othersCpu();
    const rate = await appendFor(store, concurrency);
    return { rate, machine: machineSince(start), others: others(rate * SECONDS) };
  } finally {
    store.close();
    await pool.end();
  }
}

async function appendFor(store: PostgresEventStore, concurrency: number): Promise<number> {
  const data = JSON.parse(proposal);
  let count = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await store.append(`proposal-${randomUUID()}`, [{ type: 'ProposalDrafted', data }], { expectedVersion: 'no_stream' });
        count += 1;
      }
    }),
  );
  return count / SECONDS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_http');
  const apis: AppProcess[] = [];
  const startApi = async (): Promise<string> => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const api = runApp('api', { DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'error', NODE_ENV: 'production', JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!', QUEUE_PREFIX: db.name });
    apis.push(api);
    await waitFor(async () => (await fetch(`${base}/health`).catch(() => null))?.ok, { timeoutMs: 60_000, intervalMs: 200, what: `the API (${api.output()})` });
    return base;
  };
  try {
    const first = await startApi();
    const token = await partnerToken(first, db.url);
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${SECONDS} s per case; ${ROUNDS} rounds; each API process has 20 pg connections`);
    console.log('\nmachine %: the share of the two cores busy / the share the hypervisor took (steal), during the plain appends, then during the HTTP case');
    console.log('PostgreSQL µs/op and bench µs/op: the CPU time of PostgreSQL\'s processes, and of this process (the store client, then autocannon), per append / per request');
    console.log(
      '\nAPI processes  connections  round  HTTP req/s  p50 ms  p99 ms  non-2xx  API CPU µs/req (sys)  plain appends/s  HTTP/plain  machine % plain  machine % HTTP  PostgreSQL µs/op plain/HTTP  bench µs/op plain/HTTP',
    );
    const bases = [first];
    /** One HTTP case on the API processes now up, with the API's CPU time per request; printed with its baseline. */
    const measure = async (connections: number, round: string, plain: number, plainMachine: string, plainOthers?: OthersCpu): Promise<number> => {
      const before = apis.map((api) => cpuMs(api.child.pid!));
      const start = cpuTicks();
      const counting = othersCpu();
      const http = await httpCommands(bases, token, connections);
      const machine = machineSince(start);
      const others = counting(http.rate * SECONDS);
      const after = apis.map((api) => cpuMs(api.child.pid!));
      const apiCpu = after.reduce((sum, cpu, i) => sum + cpu.total - before[i].total, 0);
      const apiSystem = after.reduce((sum, cpu, i) => sum + cpu.system - before[i].system, 0);
      const perRequest = (ms: number) => ((ms * 1000) / (http.rate * SECONDS)).toFixed(0);
      const ratio = http.rate / plain;
      console.log(
        `${String(bases.length).padStart(13)}  ${String(connections).padStart(11)}  ${round.padStart(5)}  ${http.rate.toFixed(0).padStart(10)}  ${String(http.p50).padStart(6)}  ${String(http.p99).padStart(6)}  ${String(http.non2xx).padStart(7)}  ${`${perRequest(apiCpu)} (${perRequest(apiSystem)})`.padStart(20)}  ${plain.toFixed(0).padStart(15)}  ${ratio.toFixed(2).padStart(10)}  ${plainMachine.padStart(15)}  ${shares(machine).padStart(14)}  ${pair(plainOthers?.postgres, others.postgres).padStart(27)}  ${pair(plainOthers?.bench, others.bench).padStart(22)}`,
      );
      return ratio;
    };
    const verdicts: string[] = [];
    const medianPlain = new Map<number, number>();
    for (const connections of [16, 64]) {
      await httpCommands(bases, token, connections); // warm-up run, discarded
      const ratios: number[] = [];
      const plains: number[] = [];
      for (let round = 1; round <= ROUNDS; round += 1) {
        const plain = await plainAppends(db.url, connections);
        plains.push(plain.rate);
        ratios.push(await measure(connections, String(round), plain.rate, shares(plain.machine), plain.others));
      }
      medianPlain.set(connections, median(plains));
      const ratio = median(ratios);
      verdicts.push(
        `1 API process, ${connections} connections: median HTTP/plain ${ratio.toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')}): ` +
          `${ratio >= TARGET ? 'PASS' : 'BELOW TARGET'} (target ${TARGET})`,
      );
    }
    bases.push(await startApi());
    for (const connections of [16, 64]) {
      await httpCommands(bases, token, connections); // warm-up run, discarded
      const ratio = await measure(connections, '-', medianPlain.get(connections)!, 'median');
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
    for (const api of apis) api.child.kill('SIGTERM');
    await Promise.all(apis.map((api) => api.exited));
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
