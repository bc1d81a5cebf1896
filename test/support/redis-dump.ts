import { Redis } from 'ioredis';

/** One key under a prefix and every text its value holds, whatever the key's type. */
export interface DumpedKey {
  key: string;
  type: string;
  texts: string[];
}

/**
 * Every key matching `pattern` (SCAN, never KEYS) and every text of its value: strings, hash fields and
 * values, list items, set members, sorted set members, stream entries (XRANGE). What a test searches
 * for data that must not be in Redis.
 */
export async function dumpRedis(url: string, pattern: string): Promise<DumpedKey[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      batch.forEach((key) => keys.add(key));
      cursor = next;
    } while (cursor !== '0');
    const dumped: DumpedKey[] = [];
    for (const key of [...keys].sort()) {
      const type = await redis.type(key);
      dumped.push({ key, type, texts: [key, ...(await textsOf(redis, key, type))] });
    }
    return dumped;
  } finally {
    redis.disconnect();
  }
}

async function textsOf(redis: Redis, key: string, type: string): Promise<string[]> {
  switch (type) {
    case 'string':
      return [(await redis.getBuffer(key))?.toString('utf8') ?? ''];
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flat();
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1);
    case 'stream':
      return (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
    case 'none':
      return []; // gone since the SCAN (a job removed meanwhile)
    default:
      throw new Error(`Key ${key} has a type the dump does not read: ${type}`);
  }
}

/**
 * The texts, and what any base64 (or base64url) run of 16 characters or more in them decodes to: a value
 * hidden by encoding is found too.
 */
export function withDecodedBase64(texts: string[]): string[] {
  const decoded: string[] = [];
  for (const text of texts) {
    for (const run of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []) {
      decoded.push(Buffer.from(run, 'base64').toString('utf8'), Buffer.from(run, 'base64url').toString('utf8'));
    }
  }
  return [...texts, ...decoded];
}
