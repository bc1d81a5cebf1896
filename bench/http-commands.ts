/**
 * The HTTP command path against the plain event-store append, measured in one run.
 * Run by hand: npm run bench:http (node -r @swc-node/register bench/http-commands.ts).
 *
 * The API runs as its own process (as in production); autocannon drives, from this process,
 * `POST /api/proposals` then `POST /api/proposals/:id/submit` on each connection, at 16 and 64
 * connections. The baseline is `PostgresEventStore.append` of one event to a new stream at the same
 * concurrency, in this process. Creates and drops its own database.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { PostgresEventStore } from '@passerelle/event-store';
import { createTestDatabase, waitFor } from '@passerelle/testing';
import { runApp } from '../test/support/processes';

const SECONDS = 10;
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

/** Each connection creates a proposal, then submits it, again and again. */
function httpCommands(base: string, token: string, connections: number): Promise<autocannon.Result> {
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

/** The same number of appends, one event to a new stream each, straight into the store. */
async function plainAppends(store: PostgresEventStore, concurrency: number): Promise<number> {
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

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_http');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = runApp('api', { DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'error', NODE_ENV: 'production', JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!', QUEUE_PREFIX: db.name });
  const pool = new Pool({ connectionString: db.url, max: 64 });
  const store = new PostgresEventStore(pool);
  try {
    await waitFor(async () => (await fetch(`${base}/health`).catch(() => null))?.ok, { timeoutMs: 60_000, intervalMs: 200, what: `the API (${api.output()})` });
    const token = await partnerToken(base, db.url);
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${SECONDS} s per case; API in its own process, 20 pg connections`);
    console.log('\nconnections  HTTP req/s  p50 ms  p99 ms  non-2xx  plain appends/s  HTTP/plain');
    for (const connections of [16, 64]) {
      await httpCommands(base, token, connections); // warm-up run, discarded
      const http = await httpCommands(base, token, connections);
      const plain = await plainAppends(store, connections);
      const ratio = http.requests.average / plain;
      console.log(
        `${String(connections).padStart(11)}  ${http.requests.average.toFixed(0).padStart(10)}  ${String(http.latency.p50).padStart(6)}  ${String(http.latency.p99).padStart(6)}  ${String(http.non2xx).padStart(7)}  ${plain.toFixed(0).padStart(15)}  ${ratio.toFixed(2).padStart(10)}  ${ratio >= TARGET ? 'PASS' : 'BELOW TARGET'} (target ${TARGET})`,
      );
    }
  } finally {
    store.close();
    await pool.end();
    api.child.kill('SIGTERM');
    await api.exited;
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
