import { EventEmitter } from 'node:events';
import pino from 'pino';
import { Counter, Registry } from 'prom-client';
import { RedisLink, redisAddress } from './redis-link';

function link() {
  const lines: { level: number; msg: string; connection: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (text: string) => void lines.push(JSON.parse(text)) });
  const registry = new Registry();
  const reconnects = new Counter({ name: 'redis_reconnects_total', help: 'h', labelNames: ['connection'], registers: [registry] });
  const count = async () => (await reconnects.get()).values.find((v) => v.labels.connection === 'queues')?.value ?? 0;
  return { link: new RedisLink('queues', 'redis://127.0.0.1:6379', logger, reconnects), lines, count };
}

describe('RedisLink', () => {
  it('says once that the connection is lost and once that it is back, however many clients retry how often', async () => {
    const { link: queues, lines, count } = link();
    const [a, b] = [new EventEmitter(), new EventEmitter()];
    queues.watch(a, () => false);
    queues.watch(b, () => false);
    for (let retry = 0; retry < 5; retry++) (a.emit('close'), b.emit('close'));
    a.emit('ready');
    expect(lines.map((l) => l.msg)).toEqual(['Redis connection lost (queues, redis://127.0.0.1:6379); retrying']);
    b.emit('ready');
    b.emit('ready');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'Redis connection lost (queues, redis://127.0.0.1:6379); retrying'],
      [30, 'Redis connection back (queues, redis://127.0.0.1:6379)'],
    ]);
    expect(await count()).toBe(1);
  });

  it('does not take a client closed by the app for a lost connection', () => {
    const { link: queues, lines } = link();
    const client = new EventEmitter();
    queues.watch(client, () => true);
    client.emit('close');
    expect(lines).toEqual([]);
  });

  it('keeps errors that only say Redis is unreachable out of the logs, and gives others one line', () => {
    const { link: queues, lines } = link();
    queues.error(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));
    queues.error(new Error('Connection is closed.'));
    queues.error(new Error('NOSCRIPT No matching script'));
    expect(lines.map((l) => l.msg)).toEqual(['Redis error on the queues connection: NOSCRIPT No matching script']);
  });

  it('writes addresses without user or password', () => {
    expect(redisAddress('redis://user:s3cret@redis.example:6380/2')).toBe('redis://redis.example:6380/2');
    expect(redisAddress('rediss://:s3cret@redis.example')).toBe('rediss://redis.example');
  });
});
