import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { prepareDatabase, queueConnection } from '@passerelle/platform';
import { prepareKeysDatabase } from '@passerelle/privacy';

import { TEST_DATABASE_SERVER_URL as SERVER_URL, TEST_REDIS_URL as REDIS_URL, testDatabaseUrl } from './test-servers';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one spec file, migrated like production, with its key database beside it
 * (`<name>_keys`, where AppConfig looks by default), as `npm start` prepares both. Names always contain "test",
 * and drop() refuses any other name, so a test can never empty a real database. The name is also the
 * queue prefix of the apps under test (testConfig): drop() deletes their Redis keys as well.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `passerelle_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = testDatabaseUrl(name);
  await prepareDatabase(url);
  await prepareKeysDatabase(testDatabaseUrl(`${name}_keys`));
  return { name, url, drop: () => dropTestDatabase(name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  if (!name.includes('test')) throw new Error(`Refusing to drop ${name}: not a test database`);
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    // Its key database (createTestKeysDatabase), if a test made one.
    if (!name.endsWith('_keys')) await admin.query(`DROP DATABASE IF EXISTS "${name}_keys" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await deleteRedisKeys(`${queueConnection(REDIS_URL, name).prefix}:*`);
}

/** Deletes the keys matching `pattern` (queues, jobs, login counters of one test database). */
async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * A pg pool for a test database. pg's pool.end() resolves before its backends have exited, so the
 * forced DROP DATABASE that follows may still end one of them: that late error is expected, not a failure.
 */
export function testPool(url: string, max = 10): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}
