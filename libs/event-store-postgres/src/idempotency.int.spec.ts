import type { Pool } from 'pg';
import { createTestDatabase, testPool, type TestDatabase } from '@passerelle/testing';
import { IdempotencyConflictError } from '@passerelle/event-store-core';
import { PostgresEventStore } from './event-store';
import { purgeExpiredIdempotencyKeys } from './idempotency';

describe('Idempotency keys: expiry and purge', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('idempotency_expiry');
    pool = testPool(db.url, 5);
    store = new PostgresEventStore(pool, { notify: false, idempotencyKeyHours: 1 });
  });

  afterAll(async () => {
    store.close();
    await pool.end();
    await db.drop();
  });

  const age = (key: string, interval: string) => pool.query(`UPDATE idempotency_keys SET created_at = now() - $2::interval WHERE key = $1`, [key, interval]);

  it('replays within the retention, refuses another fingerprint, and runs an expired key again', async () => {
    let runs = 0;
    const work = async () => ({ run: ++runs });
    expect(await store.idempotent('s', 'k', 'f1', work)).toEqual({ result: { run: 1 }, replayed: false });
    await age('k', '59 minutes');
    expect(await store.idempotent('s', 'k', 'f1', work)).toEqual({ result: { run: 1 }, replayed: true });
    await expect(store.idempotent('s', 'k', 'f2', work)).rejects.toBeInstanceOf(IdempotencyConflictError);
    await age('k', '61 minutes');
    expect(await store.idempotent('s', 'k', 'f2', work)).toEqual({ result: { run: 2 }, replayed: false });
    expect(await store.idempotent('s', 'k', 'f2', work)).toEqual({ result: { run: 2 }, replayed: true });
    await expect(store.idempotent('s', 'k', 'f1', work)).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('leaves an expired key as it was when the new request fails', async () => {
    await store.idempotent('s', 'failing', 'f1', async () => 'first');
    await age('failing', '2 hours');
    await expect(
      store.idempotent('s', 'failing', 'f2', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    const row = await pool.query(`SELECT fingerprint, result, created_at < now() - interval '1 hour' AS expired FROM idempotency_keys WHERE key = 'failing'`);
    expect(row.rows).toEqual([{ fingerprint: 'f1', result: 'first', expired: true }]);
  });

  it('deletes every expired key in batches, and only those', async () => {
    await pool.query('DELETE FROM idempotency_keys');
    for (let i = 0; i < 7; i += 1) await store.idempotent('s', `old-${i}`, 'f', async () => i);
    for (let i = 0; i < 2; i += 1) await store.idempotent('s', `new-${i}`, 'f', async () => i);
    await pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '1 hour 1 second' WHERE key LIKE 'old-%'`);
    expect(await purgeExpiredIdempotencyKeys(pool, 1, 3)).toBe(7);
    const left = await pool.query<{ key: string }>('SELECT key FROM idempotency_keys ORDER BY key');
    expect(left.rows.map((r) => r.key)).toEqual(['new-0', 'new-1']);
    expect(await purgeExpiredIdempotencyKeys(pool, 1, 3)).toBe(0);
    const indexes = await pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'idempotency_keys'`);
    expect(indexes.rows.map((r) => r.indexdef)).toContainEqual(expect.stringContaining('(created_at)'));
  });
});
