import type { Pool } from 'pg';
import { subjectKeyContext } from '../domain/key-wrap';
import type { MasterKeyRing } from '../domain/master-key-ring';
import { isSubjectId, type SubjectKeyState } from '../domain/subject-key';

/** The channel on which the key database announces a destroyed key (payload: the subject id). */
export const KEY_DESTROYED_CHANNEL = 'privacy_key_destroyed';

export type DestroyOutcome =
  | { outcome: 'destroyed'; subjectId: string; destroyedAt: Date }
  | { outcome: 'already_destroyed'; subjectId: string; destroyedAt: Date }
  | { outcome: 'unknown'; subjectId: string };

/** Subject keys read from and destroyed in the key database, without any cache. */
export class SubjectKeys {
  constructor(
    private readonly pool: Pool,
    private readonly ring: MasterKeyRing,
  ) {}

  /** `load` for many subjects in one query (a page of events naming many people). */
  async loadMany(subjectIds: string[]): Promise<Map<string, SubjectKeyState>> {
    const states = new Map<string, SubjectKeyState>();
    const valid = subjectIds.filter((id) => {
      if (!isSubjectId(id)) states.set(id, { status: 'unknown', subjectId: id });
      return isSubjectId(id);
    });
    if (valid.length === 0) return states;
    const { rows } = await this.pool.query<{ subject_id: string; wrapped_key: Buffer | null; master_key_id: string | null; destroyed_at: Date | null }>(
      'SELECT subject_id, wrapped_key, master_key_id, destroyed_at FROM subjects WHERE subject_id = ANY($1::uuid[])',
      [valid],
    );
    for (const row of rows) states.set(row.subject_id, this.stateOf(row.subject_id, row));
    for (const id of valid) if (!states.has(id)) states.set(id, { status: 'unknown', subjectId: id });
    return states;
  }

  /** The key unwrapped, or why there is none. A key wrapped by a master key this process lacks is an error (configuration). */
  async load(subjectId: string): Promise<SubjectKeyState> {
    if (!isSubjectId(subjectId)) return { status: 'unknown', subjectId };
    const { rows } = await this.pool.query<{ wrapped_key: Buffer | null; master_key_id: string | null; destroyed_at: Date | null }>(
      'SELECT wrapped_key, master_key_id, destroyed_at FROM subjects WHERE subject_id = $1',
      [subjectId],
    );
    const row = rows[0];
    if (!row) return { status: 'unknown', subjectId };
    return this.stateOf(subjectId, row);
  }

  private stateOf(subjectId: string, row: { wrapped_key: Buffer | null; master_key_id: string | null; destroyed_at: Date | null }): SubjectKeyState {
    if (row.destroyed_at || !row.wrapped_key || !row.master_key_id) return { status: 'erased', subjectId, erasedAt: row.destroyed_at ?? new Date(0) };
    const key = this.ring.unwrap(row.wrapped_key, row.master_key_id, subjectKeyContext(subjectId));
    if (!key) {
      throw new Error(`The key of subject ${subjectId} is wrapped by master key ${row.master_key_id}, which this process cannot use (PRIVACY_MASTER_KEY, PRIVACY_PREVIOUS_MASTER_KEYS)`);
    }
    return { status: 'active', subjectId, key };
  }

  /**
   * Crypto-shredding: the wrapped key is deleted (the row stays as a tombstone: id, blind index,
   * destroyed_at, no key material) and every process listening is told, in the same transaction, so
   * the notice goes out exactly when the destruction is committed. Destroying twice says so.
   */
  async destroy(subjectId: string): Promise<DestroyOutcome> {
    if (!isSubjectId(subjectId)) return { outcome: 'unknown', subjectId };
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ destroyed_at: Date }>(
        `UPDATE subjects SET wrapped_key = NULL, master_key_id = NULL, destroyed_at = now()
         WHERE subject_id = $1 AND destroyed_at IS NULL RETURNING destroyed_at`,
        [subjectId],
      );
      if (rows.length > 0) await client.query('SELECT pg_notify($1, $2)', [KEY_DESTROYED_CHANNEL, subjectId]);
      await client.query('COMMIT');
      if (rows.length > 0) return { outcome: 'destroyed', subjectId, destroyedAt: rows[0].destroyed_at };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    const { rows } = await this.pool.query<{ destroyed_at: Date | null }>('SELECT destroyed_at FROM subjects WHERE subject_id = $1', [subjectId]);
    return rows[0]?.destroyed_at ? { outcome: 'already_destroyed', subjectId, destroyedAt: rows[0].destroyed_at } : { outcome: 'unknown', subjectId };
  }
}
