import { RedisConnection } from '@passerelle/platform';
import { LogLines, type LogLine, waitFor } from '@passerelle/testing';
import { type Stack, startStack } from './support/stack';
import { RedisServer } from './support/redis-server';

const PASSWORD = 'redis-secret-for-outage-test';
const CONNECTIONS = ['general', 'queues'];

/** The API's and the worker's lines about their Redis connections, by what they say. */
function transitions(logs: LogLines, what: 'lost' | 'back'): LogLine[] {
  return logs.of('RedisConnection').filter((line) => line.msg.startsWith(`Redis connection ${what}`));
}

function connectionsIn(lines: LogLine[]): string[] {
  return lines.map((line) => line.connection as string).sort();
}

async function reconnects(stack: Stack, connection: string): Promise<number> {
  const text = (await stack.http.get('/metrics').expect(200)).text;
  const match = new RegExp(`^redis_reconnects_total\\{connection="${connection}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('Redis going away and coming back', () => {
  let redis: RedisServer;
  let stack: Stack;
  const apiLogs = new LogLines();
  const workerLogs = new LogLines();
  const consoleErrors: unknown[][] = [];

  beforeAll(async () => {
    redis = await RedisServer.start(PASSWORD);
    stack = await startStack('redis_outage', { env: { REDIS_URL: redis.url }, apiLogs, workerLogs });
    // Records what a library would print on its own (BullMQ printed a stack trace per failed retry).
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void consoleErrors.push(args));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await stack?.close();
    await redis?.kill();
  });

  it('says so once per connection, answers 503 on /health while it lasts, and counts the reconnection', async () => {
    await stack.http.get('/health').expect(200);

    let retries = 0;
    stack.api.get(RedisConnection).on('reconnecting', () => retries++);
    await redis.kill();
    const down = await waitFor(
      async () => {
        const response = await stack.http.get('/health');
        return response.status === 503 ? response : null;
      },
      { timeoutMs: 10_000, what: '/health to answer 503' },
    );
    expect(down.body).toMatchObject({ status: 503, detail: 'Not ready: redis down', checks: { redis: { status: 'down' }, postgres: { status: 'up' } } });
    for (const logs of [apiLogs, workerLogs]) {
      await waitFor(() => transitions(logs, 'lost').length >= CONNECTIONS.length, { timeoutMs: 15_000, what: 'a lost line per connection' });
    }

    // Long enough for many failed retries (about 3 s: the queues' clients retry every second at first).
    await waitFor(() => retries >= 10, { timeoutMs: 15_000, what: 'ten failed reconnection attempts' });
    await redis.restart();
    await waitFor(async () => (await stack.http.get('/health')).status === 200, { timeoutMs: 30_000, what: '/health to answer 200 again' });
    for (const logs of [apiLogs, workerLogs]) {
      await waitFor(() => transitions(logs, 'back').length >= CONNECTIONS.length, { timeoutMs: 30_000, what: 'a back line per connection' });
    }

    for (const logs of [apiLogs, workerLogs]) {
      expect(connectionsIn(transitions(logs, 'lost'))).toEqual(CONNECTIONS);
      expect(connectionsIn(transitions(logs, 'back'))).toEqual(CONNECTIONS);
      expect(transitions(logs, 'lost').every((line) => line.level === 40)).toBe(true);
      expect(transitions(logs, 'back').every((line) => line.level === 30)).toBe(true);
      expect(logs.text).not.toContain('ECONNREFUSED');
      expect(logs.text).not.toContain(PASSWORD);
      expect(transitions(logs, 'lost')[0].address).toBe(`redis://127.0.0.1:${redis.port}`);
    }
    expect(consoleErrors).toEqual([]);
    for (const connection of CONNECTIONS) expect(await reconnects(stack, connection)).toBeGreaterThanOrEqual(1);
  });

  it('does not take the worker closing its connections for losing Redis', async () => {
    const lostBefore = transitions(workerLogs, 'lost').length;
    await stack.stopWorker();
    expect(transitions(workerLogs, 'lost')).toHaveLength(lostBefore);
  });
});
