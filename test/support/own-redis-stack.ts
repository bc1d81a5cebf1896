import { Queue } from 'bullmq';
import { queueConnection } from '@passerelle/platform';
import { freePort } from '@passerelle/testing';
import { OwnRedis } from './own-redis';
import { queryRows } from './sql';
import { type Stack, type StackOptions, startStack } from './stack';

/** A stack on a Redis of the test's own (to kill, flush or restart), with the test's handles on its queues. */
export interface OwnRedisStack {
  redis: OwnRedis;
  stack: Stack;
  /** A handle on one of the stack's queues (same Redis, same prefix), closed with the stack. */
  queue<T = unknown>(name: string): Queue<T>;
  /** One query on the stack's database. */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Starts a Redis of its own on a free port, then the stack on it (`options.env` gets its REDIS_URL). */
export async function startStackWithOwnRedis(label: string, options: StackOptions = {}): Promise<OwnRedisStack> {
  const redis = await new OwnRedis(await freePort()).start();
  let stack: Stack;
  try {
    stack = await startStack(label, { ...options, env: { ...options.env, REDIS_URL: redis.url } });
  } catch (err) {
    await redis.kill();
    throw err;
  }
  const { connection, prefix } = queueConnection(redis.url, new URL(stack.db.url).pathname.slice(1));
  const queues: Queue[] = [];
  return {
    redis,
    stack,
    queue<T>(name: string): Queue<T> {
      const queue = new Queue<T>(name, { connection, prefix });
      queues.push(queue as Queue);
      return queue;
    },
    sql: <T>(text: string, values: unknown[] = []) => queryRows<T>(stack.db.url, text, values),
    async close() {
      for (const queue of queues) await queue.close();
      await stack.close();
      await redis.kill();
    },
  };
}
