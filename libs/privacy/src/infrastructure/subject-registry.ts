import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { blindIndex } from '../domain/blind-index';
import { subjectKeyContext } from '../domain/key-wrap';
import type { MasterKeyRing } from '../domain/master-key-ring';
import { isSubjectId } from '../domain/subject-key';

/** A subject as the registry knows it: no address, no key. */
export interface SubjectRecord {
  subjectId: string;
  erased: boolean;
  erasedAt?: Date;
}

/**
 * Subjects by address, through the blind index: the address itself is stored nowhere here. A
 * subject's id is a random UUID and its key 32 random bytes, both made when the address is first seen.
 *
 * Why the registry (blind index -> subject id) lives in the key database, not the event database:
 * - a subject and its key are made in one INSERT, so there is never a subject without a key or a key
 *   without a subject, and the partial unique index on the blind index makes find-or-create race-safe;
 * - the blind index is only as strong as its key, which lives (wrapped) in this database: a copy of
 *   the event database alone holds neither, so it cannot even say whether a given address is a subject;
 * - erasure touches one database: the key goes, the tombstone (id, blind index, destroyed_at) stays,
 *   so "GET /api/privacy/subjects?email=" still answers `erased` for that address.
 * The event database keeps only subject ids (in clear, beside each encrypted field).
 */
export class SubjectRegistry {
  constructor(
    private readonly pool: Pool,
    private readonly ring: MasterKeyRing,
    private readonly blindIndexKey: () => Promise<Buffer>,
  ) {}

  /**
   * The living subject of this address, made if there is none. Idempotent and race-safe: two
   * processes at once both get the one id (the partial unique index and ON CONFLICT decide). An
   * address whose subject was erased gets a new subject: the erased one's data stays unreadable.
   */
  async findOrCreateSubject(email: string): Promise<string> {
    return (await this.findOrCreateSubjectWithKey(email)).subjectId;
  }

  /** As findOrCreateSubject; when the subject is made now, also its new key (so the caller need not read it back). */
  async findOrCreateSubjectWithKey(email: string): Promise<{ subjectId: string; newKey?: Buffer }> {
    const index = blindIndex(await this.blindIndexKey(), email);
    for (let attempt = 0; attempt < 5; attempt++) {
      const subjectId = randomUUID();
      const key = randomBytes(32);
      const { wrapped, masterKeyId } = this.ring.wrap(key, subjectKeyContext(subjectId));
      const { rows } = await this.pool.query<{ subject_id: string }>(
        `INSERT INTO subjects (subject_id, blind_index, wrapped_key, master_key_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (blind_index) WHERE destroyed_at IS NULL DO NOTHING RETURNING subject_id`,
        [subjectId, index, wrapped, masterKeyId],
      );
      if (rows.length > 0) return { subjectId: rows[0].subject_id, newKey: key };
      const living = await this.pool.query<{ subject_id: string }>('SELECT subject_id FROM subjects WHERE blind_index = $1 AND destroyed_at IS NULL', [index]);
      if (living.rows.length > 0) return { subjectId: living.rows[0].subject_id };
      // The living subject was erased between the two statements: try again.
    }
    throw new Error('Could not register the subject: its address kept changing hands');
  }

  /**
   * findOrCreateSubjectWithKey for many addresses in one statement, so in one commit (a bulk of
   * invitations names a thousand people): by normalised address, in no particular order. An address
   * whose living subject was erased between the two statements is looked up again on its own.
   */
  async findOrCreateSubjectsWithKeys(emails: string[]): Promise<Map<string, { subjectId: string; newKey?: Buffer }>> {
    const indexKey = await this.blindIndexKey();
    const byIndex = new Map<string, string>();
    for (const email of emails) byIndex.set(blindIndex(indexKey, email).toString('hex'), email);
    const made = [...byIndex.keys()].map((hex) => {
      const subjectId = randomUUID();
      const key = randomBytes(32);
      return { hex, subjectId, key, ...this.ring.wrap(key, subjectKeyContext(subjectId)) };
    });
    const inserted = await this.pool.query<{ subject_id: string }>(
      `INSERT INTO subjects (subject_id, blind_index, wrapped_key, master_key_id)
       SELECT * FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::text[])
       ON CONFLICT (blind_index) WHERE destroyed_at IS NULL DO NOTHING RETURNING subject_id`,
      [made.map((m) => m.subjectId), made.map((m) => Buffer.from(m.hex, 'hex')), made.map((m) => m.wrapped), made.map((m) => m.masterKeyId)],
    );
    const found = new Map<string, { subjectId: string; newKey?: Buffer }>();
    const fresh = new Set(inserted.rows.map((row) => row.subject_id));
    for (const m of made) if (fresh.has(m.subjectId)) found.set(byIndex.get(m.hex)!, { subjectId: m.subjectId, newKey: m.key });
    const known = made.filter((m) => !fresh.has(m.subjectId));
    if (known.length > 0) {
      const living = await this.pool.query<{ subject_id: string; blind_index: Buffer }>(
        'SELECT subject_id, blind_index FROM subjects WHERE blind_index = ANY($1::bytea[]) AND destroyed_at IS NULL',
        [known.map((m) => Buffer.from(m.hex, 'hex'))],
      );
      for (const row of living.rows) found.set(byIndex.get(row.blind_index.toString('hex'))!, { subjectId: row.subject_id });
    }
    for (const email of byIndex.values()) if (!found.has(email)) found.set(email, await this.findOrCreateSubjectWithKey(email));
    // Every address as given, two spellings of one address sharing its subject.
    const answer = new Map<string, { subjectId: string; newKey?: Buffer }>();
    for (const email of emails) answer.set(email, found.get(byIndex.get(blindIndex(indexKey, email).toString('hex'))!)!);
    return answer;
  }

  /** The subject of this address: the living one, else the most recently erased; undefined if none. */
  async findSubject(email: string): Promise<SubjectRecord | undefined> {
    const index = blindIndex(await this.blindIndexKey(), email);
    const { rows } = await this.pool.query<{ subject_id: string; destroyed_at: Date | null }>(
      `SELECT subject_id, destroyed_at FROM subjects WHERE blind_index = $1
       ORDER BY destroyed_at IS NULL DESC, created_at DESC LIMIT 1`,
      [index],
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** The subject of this id; undefined if there is none (an id that is not a UUID included). */
  async subject(subjectId: string): Promise<SubjectRecord | undefined> {
    if (!isSubjectId(subjectId)) return undefined;
    const { rows } = await this.pool.query<{ subject_id: string; destroyed_at: Date | null }>(
      'SELECT subject_id, destroyed_at FROM subjects WHERE subject_id = $1',
      [subjectId],
    );
    return rows[0] && toRecord(rows[0]);
  }
}

function toRecord(row: { subject_id: string; destroyed_at: Date | null }): SubjectRecord {
  return row.destroyed_at ? { subjectId: row.subject_id, erased: true, erasedAt: row.destroyed_at } : { subjectId: row.subject_id, erased: false };
}
