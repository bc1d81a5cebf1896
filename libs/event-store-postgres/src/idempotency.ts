import { IdempotencyConflictError } from '@passerelle/event-store-core';
import type { PoolClient } from 'pg';

/**
 * Inside `client`'s transaction: runs `work` once per (scope, key). A repeat with the same fingerprint
 * returns the first result without running `work`; a repeat with another fingerprint is refused. The key
 * is written in the same transaction as `work`'s effects, so a failed `work` leaves no key.
 */
export async function runOnce<T>(
  client: PoolClient,
  scope: string,
  key: string,
  requestFingerprint: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const inserted = await client.query(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, result) VALUES ($1, $2, $3, 'null')
     ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [scope, key, requestFingerprint],
  );
  if (inserted.rowCount === 0) {
    const found = await client.query<{ fingerprint: string; result: T }>('SELECT fingerprint, result FROM idempotency_keys WHERE scope = $1 AND key = $2', [
      scope,
      key,
    ]);
    if (found.rows[0].fingerprint !== requestFingerprint) throw new IdempotencyConflictError(key);
    return { result: found.rows[0].result, replayed: true };
  }
  const result = await work(client);
  await client.query('UPDATE idempotency_keys SET result = $3 WHERE scope = $1 AND key = $2', [scope, key, JSON.stringify(result ?? null)]);
  return { result, replayed: false };
}
