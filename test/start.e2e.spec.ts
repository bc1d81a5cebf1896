import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { MIGRATIONS } from '@passerelle/platform';
import { dropTestDatabase, testDatabaseUrl, waitFor, freePort } from '@passerelle/testing';
import { runApp as run } from './support/processes';

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('starting the apps as processes', () => {
  const name = `passerelle_test_start_${process.pid}`;
  const databaseUrl = testDatabaseUrl(name);
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await dropTestDatabase(name);
  });

  it('creates the missing database, applies migrations, serves, and stops cleanly on SIGTERM', async () => {
    await dropTestDatabase(name);
    const port = await freePort();
    // Queues of its own, so that a Passerelle running on the same Redis is left alone (and dropTestDatabase clears them).
    const env = { DATABASE_URL: databaseUrl, PORT: String(port), ADMIN_EMAIL: 'admin@start.test', ADMIN_PASSWORD: 'admin-password-start', QUEUE_PREFIX: name };
    const api = run('api', env);
    const worker = run('worker', env);
    children.push(api.child, worker.child);

    await waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
        return response?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `the API to answer /health (output: ${api.output()})` },
    );
    const migrations = await query<{ name: string }>(databaseUrl, 'SELECT name FROM migrations ORDER BY id');
    expect(migrations.map((m) => m.name)).toEqual(MIGRATIONS.map((migration) => new migration().name));
    const admins = await query(databaseUrl, "SELECT email FROM users WHERE role = 'admin'");
    expect(admins).toEqual([{ email: 'admin@start.test' }]);
    expect(worker.child.exitCode).toBeNull();

    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    // Nest runs the shutdown hooks, then re-raises the signal: a graceful stop ends by SIGTERM, promptly.
    const stopped = await Promise.race([
      Promise.all([api.exited, worker.exited]),
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000).unref()),
    ]);
    expect(stopped).toEqual([
      { code: null, signal: 'SIGTERM' },
      { code: null, signal: 'SIGTERM' },
    ]);
  });

  it('refuses to start on bad configuration, naming the variables', async () => {
    const bad = run('api', { PORT: 'eighty', DATABASE_URL: 'mysql://nope', TRUST_PROXY: '10.0.0.2,proxy.internal' });
    children.push(bad.child);
    expect(await bad.exited).toEqual({ code: 1, signal: null });
    expect(bad.output()).toMatch(/PORT/);
    expect(bad.output()).toMatch(/DATABASE_URL/);
    expect(bad.output()).toMatch(/TRUST_PROXY must be comma-separated IP addresses or CIDR ranges.*"proxy\.internal"/);
  });
});
