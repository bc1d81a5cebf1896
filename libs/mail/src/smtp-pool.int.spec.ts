import { createServer } from 'node:net';
import { SmtpPool } from './smtp-pool';

/** A port nothing listens on: taken from the system, then freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SmtpPool when the mail server is down', () => {
  it('rejects every caller, those waiting for a connection too, with the connection error', async () => {
    const pool = new SmtpPool({ url: `smtp://127.0.0.1:${await closedPort()}`, maxConnections: 1, timeoutMs: 2_000 });
    try {
      // The second caller waits for the first one's connection, which fails: it must fail too, not get the error as a connection.
      const outcomes = await Promise.allSettled([pool.acquire(), pool.acquire(), pool.acquire()]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      for (const outcome of outcomes) expect(String((outcome as PromiseRejectedResult).reason?.message)).toMatch(/ECONNREFUSED/);
    } finally {
      pool.close();
    }
  }, 20_000);
});
