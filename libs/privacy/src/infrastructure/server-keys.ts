import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { MasterKeyRing } from '../domain/master-key-ring';
import { serverKeyContext } from '../domain/key-wrap';

export const BLIND_INDEX_KEY = 'blind-index';

/**
 * A key of the server (the blind-index key): 32 random bytes made once, by whichever process asks
 * first (ON CONFLICT keeps the first), stored wrapped by the master key. Being random rather than
 * derived from the master key, it survives a master-key rotation, and so does every blind index.
 */
export async function serverKey(pool: Pool, ring: MasterKeyRing, name: string): Promise<Buffer> {
  const context = serverKeyContext(name);
  const fresh = ring.wrap(randomBytes(32), context);
  await pool.query('INSERT INTO server_keys (name, wrapped_key, master_key_id) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
    name,
    fresh.wrapped,
    fresh.masterKeyId,
  ]);
  const { rows } = await pool.query<{ wrapped_key: Buffer; master_key_id: string }>(
    'SELECT wrapped_key, master_key_id FROM server_keys WHERE name = $1',
    [name],
  );
  const key = ring.unwrap(rows[0].wrapped_key, rows[0].master_key_id, context);
  if (!key) throw new Error(`The ${name} key is wrapped by master key ${rows[0].master_key_id}, which this process does not have (PRIVACY_MASTER_KEY, PRIVACY_PREVIOUS_MASTER_KEYS)`);
  return key;
}
