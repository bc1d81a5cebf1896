import { Pool, type PoolClient } from 'pg';
import { masterKey, serverKeyContext, subjectKeyContext } from '../domain/key-wrap';
import { MasterKeyRing } from '../domain/master-key-ring';

export interface RotationOptions {
  keysDatabaseUrl: string;
  /** The master key to wrap everything with from now on. */
  newMasterKey: Buffer;
  /** Every master key that may still wrap something (the current one and the previous ones). */
  oldMasterKeys: Buffer[];
  /** Keys re-wrapped per transaction (default 500). */
  batchSize?: number;
  /** Told after each batch, for the command's output. */
  onBatch?: (progress: RotationProgress) => void;
}

export interface RotationProgress {
  subjectKeys: number;
  serverKeys: number;
}

/**
 * Re-wraps every living subject key and every server key under the new master key, a batch per
 * transaction (rows locked FOR UPDATE SKIP LOCKED, so an erasure or a second rotation running at the
 * same time neither blocks for long nor is undone). Processes keep working throughout: they unwrap
 * with either key (PRIVACY_PREVIOUS_MASTER_KEYS). Key material never changes, so every encrypted
 * field and every blind index stays as it is. Ends with a check that nothing is left under an old key.
 */
export async function rotateMasterKey(options: RotationOptions): Promise<RotationProgress> {
  const ring = new MasterKeyRing(options.newMasterKey, options.oldMasterKeys);
  const target = masterKey(options.newMasterKey);
  const batchSize = options.batchSize ?? 500;
  const pool = new Pool({ connectionString: options.keysDatabaseUrl, max: 1 });
  pool.on('error', () => undefined); // an idle connection's error; the next query reports it
  const progress: RotationProgress = { subjectKeys: 0, serverKeys: 0 };
  try {
    progress.serverKeys = await inTransaction(pool, (client) => rewrapServerKeys(client, ring, target.id));
    for (;;) {
      const done = await inTransaction(pool, (client) => rewrapSubjectBatch(client, ring, target.id, batchSize));
      if (done === 0) break;
      progress.subjectKeys += done;
      options.onBatch?.({ ...progress });
    }
    const { rows } = await pool.query<{ left: string }>(
      `SELECT (SELECT count(*) FROM subjects WHERE destroyed_at IS NULL AND master_key_id <> $1)
            + (SELECT count(*) FROM server_keys WHERE master_key_id <> $1) AS left`,
      [target.id],
    );
    if (Number(rows[0].left) > 0) throw new Error(`${rows[0].left} keys are still wrapped by an old master key: run the rotation again`);
    return progress;
  } finally {
    await pool.end();
  }
}

async function rewrapSubjectBatch(client: PoolClient, ring: MasterKeyRing, targetId: string, batchSize: number): Promise<number> {
  const { rows } = await client.query<{ subject_id: string; wrapped_key: Buffer; master_key_id: string }>(
    `SELECT subject_id, wrapped_key, master_key_id FROM subjects
     WHERE destroyed_at IS NULL AND master_key_id <> $1 ORDER BY subject_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [targetId, batchSize],
  );
  for (const row of rows) {
    const context = subjectKeyContext(row.subject_id);
    const rewrapped = rewrap(ring, row.wrapped_key, row.master_key_id, context);
    await client.query('UPDATE subjects SET wrapped_key = $2, master_key_id = $3 WHERE subject_id = $1', [row.subject_id, rewrapped.wrapped, rewrapped.masterKeyId]);
  }
  return rows.length;
}

async function rewrapServerKeys(client: PoolClient, ring: MasterKeyRing, targetId: string): Promise<number> {
  const { rows } = await client.query<{ name: string; wrapped_key: Buffer; master_key_id: string }>(
    'SELECT name, wrapped_key, master_key_id FROM server_keys WHERE master_key_id <> $1 FOR UPDATE',
    [targetId],
  );
  for (const row of rows) {
    const rewrapped = rewrap(ring, row.wrapped_key, row.master_key_id, serverKeyContext(row.name));
    await client.query('UPDATE server_keys SET wrapped_key = $2, master_key_id = $3, rewrapped_at = now() WHERE name = $1', [row.name, rewrapped.wrapped, rewrapped.masterKeyId]);
  }
  return rows.length;
}

function rewrap(ring: MasterKeyRing, wrapped: Buffer, masterKeyId: string, context: string) {
  const key = ring.unwrap(wrapped, masterKeyId, context);
  if (!key) throw new Error(`A key (${context.split(':')[0]}) is wrapped by master key ${masterKeyId}, which was not given: pass every master key in use`);
  return ring.wrap(key, context);
}

async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
