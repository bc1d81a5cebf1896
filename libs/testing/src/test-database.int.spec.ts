import Redis from 'ioredis';
import { Client } from 'pg';
import { createTestDatabase } from './test-database';
import { TEST_REDIS_URL } from './test-servers';

describe('createTestDatabase', () => {
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(() => redis.quit());

  it('drops the database and the Redis keys of its queue prefix, and nothing else', async () => {
    const db = await createTestDatabase('drop_check');
    const other = await createTestDatabase('drop_check');
    const ours = [`{${db.name}}:invitation-mail:meta`, `{${db.name}}:login-failures:account:a@b.c`];
    const theirs = [`{${other.name}}:invitation-mail:meta`, `{${db.name}x}:meta`];
    for (const key of [...ours, ...theirs]) await redis.set(key, '1');

    await db.drop();

    expect(await redis.exists(...ours)).toBe(0);
    expect(await redis.exists(...theirs)).toBe(2);
    const admin = new Client({ connectionString: other.url });
    await admin.connect();
    const left = await admin.query('SELECT datname FROM pg_database WHERE datname = $1 OR datname = $2', [db.name, other.name]);
    await admin.end();
    expect(left.rows.map((r) => r.datname)).toEqual([other.name]);
    await other.drop();
    await redis.del(`{${db.name}x}:meta`);
    expect(await redis.exists(...theirs)).toBe(0);
  });
});
