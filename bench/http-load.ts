/**
 * The HTTP bench's load: API processes started as in production, a partner's token, and autocannon
 * creating then submitting proposals on each connection.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { type TestDatabase, waitFor, freePort } from '@passerelle/testing';
import { type AppProcess, runApp } from '../test/support/processes';

const PASSWORD = 'bench-partner-password';

export const proposal = JSON.stringify({
  title: 'AI-assisted screening in rural clinics',
  summary: 'Training district health officers to use triage models; field visits in two provinces.',
  sectors: ['healthcare', 'education'],
  countries: ['ZM', 'ID'],
  durationMonths: 24,
  budget: { amount: 250000, currency: 'USD' },
});

/** What a span of load did: its operations (appends or requests), with the HTTP side's latencies and failures. */
export interface Load {
  operations: number;
  p50?: number;
  p99?: number;
  non2xx?: number;
}

/** An API process on the bench's database, answering on its base URL; `env` adds to or overrides its configuration. */
export async function startApi(db: TestDatabase, env: Record<string, string> = {}): Promise<{ api: AppProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = runApp('api', {
    DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'error', NODE_ENV: 'production', JWT_SECRET: 'bench-secret-bench-secret-bench-secret!!', PRIVACY_MASTER_KEY: 'YmVuY2gtbWFzdGVyLWtleS1iZW5jaC1tYXN0ZXIta2U=', QUEUE_PREFIX: db.name, ...env,
  });
  await waitFor(async () => (await fetch(`${base}/health`).catch(() => null))?.ok, { timeoutMs: 60_000, intervalMs: 200, what: `the API (${api.output()})` });
  return { api, base };
}

/** Stops API processes and waits until they have exited. */
export async function stopApis(apis: AppProcess[]): Promise<void> {
  for (const api of apis) api.child.kill('SIGTERM');
  await Promise.all(apis.map((api) => api.exited));
}

/** A partner account made in the database, logged in through `base`. */
export async function partnerToken(base: string, url: string): Promise<string> {
  const pool = new Pool({ connectionString: url });
  const { hashPassword } = await import('@passerelle/accounts');
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
export async function httpCommands(bases: string[], token: string, connections: number, seconds: number): Promise<Load> {
  const results = await Promise.all(bases.map((base) => httpCommandsOn(base, token, Math.round(connections / bases.length), seconds)));
  return {
    operations: results.reduce((sum, r) => sum + r.requests.total, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

function httpCommandsOn(base: string, token: string, connections: number, seconds: number): Promise<autocannon.Result> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return autocannon({
    url: base,
    connections,
    duration: seconds,
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
