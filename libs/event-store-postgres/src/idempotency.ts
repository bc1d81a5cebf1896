import { IdempotencyConflictError } from '@passerelle/event-store-core';
import type { Pool, PoolClient } from 'pg';

/** How long a key is kept when the store is not told otherwise (AppConfig's IDEMPOTENCY_KEY_HOURS). */
export const DEFAULT_IDEMPOTENCY_KEY_HOURS = 24;

/**
 * Inside `client`'s transaction: runs `work` once per (scope, key) within `hours` of the key's first
 * use. A repeat with the same fingerprint returns the first result without running `work`; a repeat with
 * another fingerprint is refused. A key older than `hours` is never replayed: its row is taken over as if
 * the key were new. Only the request's fingerprint (a SHA-256) is kept, never the request itself. The
 * key is written in the same transaction as `work`'s effects, so a failed `work` leaves no key.
 */
export async function runOnce<T>(
  client: PoolClient,
  scope: string,
  key: string,
  requestFingerprint: string,
  work: (client: PoolClient) => Promise<T>,
  hours = DEFAULT_IDEMPOTENCY_KEY_HOURS,
): Promise<{ result: T; replayed: boolean }> {
  const inserted = await client.query(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, result) VALUES ($1, $2, $3, 'null')
     ON CONFLICT (scope, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, result = 'null', created_at = now()
       WHERE idempotency_keys.created_at <= now() - make_interval(hours => $4::int)
     RETURNING key`,
    [scope, key, requestFingerprint, hours],
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

/**
 * Deletes the keys older than `hours` (their answers may name people), `batchSize` rows per statement so
 * that no statement holds many locks for long. Returns how many rows were deleted.
 */
export async function purgeExpiredIdempotencyKeys(pool: Pool | PoolClient, hours = DEFAULT_IDEMPOTENCY_KEY_HOURS, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await pool.query(
      `DELETE FROM idempotency_keys WHERE (scope, key) IN (
         SELECT scope, key FROM idempotency_keys WHERE created_at <= now() - make_interval(hours => $1::int)
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [hours, batchSize],
    );
    total += deleted.rowCount ?? 0;
    if ((deleted.rowCount ?? 0) < batchSize) return total;
  }
}

/**
 * On a person's erasure: the stored answers (and their keys) that hold their address are deleted, and the
 * address is struck out of parked projection failures' error texts. A repeat of a deleted key's request
 * runs again instead of replaying its answer. Returns how many answers were deleted.
 */
export async function forgetAddressOutsideEvents(pool: Pool | PoolClient, address: string): Promise<number> {
  const deleted = await pool.query('DELETE FROM idempotency_keys WHERE strpos(lower(result::text), lower($1)) > 0', [address]);
  const pattern = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await pool.query("UPDATE subscription_dead_letters SET error = regexp_replace(error, $2, '[erased]', 'gi') WHERE strpos(lower(error), lower($1)) > 0", [address, pattern]);
  return deleted.rowCount ?? 0;
}
