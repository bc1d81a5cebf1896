import { Pool } from 'pg';
import { decryptField, encryptField, type FieldContext, type FieldReading, parseEncryptedField } from '../domain/field-cipher';
import { MasterKeyRing } from '../domain/master-key-ring';
import type { SubjectKeyState } from '../domain/subject-key';
import { KeyCache } from '../infrastructure/key-cache';
import { KeyEvictionListener } from '../infrastructure/key-eviction-listener';
import { BLIND_INDEX_KEY, serverKey } from '../infrastructure/server-keys';
import { type DestroyOutcome, SubjectKeys } from '../infrastructure/subject-keys';
import { type SubjectRecord, SubjectRegistry } from '../infrastructure/subject-registry';

export interface VaultOptions {
  /** The key database (AppConfig.keysDatabaseUrl), prepared beforehand (prepareKeysDatabase). */
  keysDatabaseUrl: string;
  /** AppConfig.privacyMasterKey: wraps new keys. */
  masterKey: Buffer;
  /** AppConfig.privacyPreviousMasterKeys: still unwrap during a rotation. */
  previousMasterKeys?: Buffer[];
  /** AppConfig.PRIVACY_KEY_CACHE_SECONDS and PRIVACY_KEY_CACHE_SIZE. */
  cacheSeconds: number;
  cacheSize: number;
  /** Connections to the key database besides the LISTEN one (default 5). */
  poolSize?: number;
  /** Told when the LISTEN connection drops (the cache is closed meanwhile); for the process's log. */
  onProblem?: (err: Error) => void;
}

/**
 * Everything a process needs of personal data: subjects by address, their keys (cached, evicted in
 * every process on erasure), field encryption and decryption, and erasure itself. One per process;
 * `open` it at start and `close` it at shutdown.
 */
export class PersonalDataVault {
  private blindIndexKey?: Promise<Buffer>;
  readonly subjects: SubjectRegistry;

  private constructor(
    private readonly pool: Pool,
    private readonly keys: SubjectKeys,
    private readonly cache: KeyCache,
    private readonly listener: KeyEvictionListener,
    ring: MasterKeyRing,
  ) {
    this.subjects = new SubjectRegistry(pool, ring, () => (this.blindIndexKey ??= serverKey(pool, ring, BLIND_INDEX_KEY)).catch((err) => {
      this.blindIndexKey = undefined;
      throw err;
    }));
  }

  static async open(options: VaultOptions): Promise<PersonalDataVault> {
    const pool = new Pool({ connectionString: options.keysDatabaseUrl, max: options.poolSize ?? 5 });
    pool.on('error', (err) => options.onProblem?.(err));
    const ring = new MasterKeyRing(options.masterKey, options.previousMasterKeys);
    const cache = new KeyCache(options.cacheSeconds * 1000, options.cacheSize);
    const listener = new KeyEvictionListener(options.keysDatabaseUrl, cache, options.onProblem);
    try {
      await listener.start();
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PersonalDataVault(pool, new SubjectKeys(pool, ring), cache, listener, ring);
  }

  /** The living subject of this address, made if there is none; a new subject's key is cached at once. */
  async findOrCreateSubject(email: string): Promise<string> {
    const epoch = this.cache.epoch();
    const { subjectId, newKey } = await this.subjects.findOrCreateSubjectWithKey(email);
    if (newKey) this.cache.put(subjectId, newKey, epoch);
    return subjectId;
  }

  /** findOrCreateSubject for many addresses at once (one statement); the result is keyed by the addresses as given. */
  async findOrCreateSubjects(emails: string[]): Promise<Map<string, string>> {
    const epoch = this.cache.epoch();
    const found = await this.subjects.findOrCreateSubjectsWithKeys(emails);
    const ids = new Map<string, string>();
    for (const [email, { subjectId, newKey }] of found) {
      if (newKey) this.cache.put(subjectId, newKey, epoch);
      ids.set(email, subjectId);
    }
    return ids;
  }

  findSubject(email: string): Promise<SubjectRecord | undefined> {
    return this.subjects.findSubject(email);
  }

  /** The subject of this id (living or erased); undefined when there is none. */
  subject(subjectId: string): Promise<SubjectRecord | undefined> {
    return this.subjects.subject(subjectId);
  }

  /** The subject's key: from the cache while it is fresh and the LISTEN connection is up, else from the key database. */
  /** subjectKey for many subjects: those not cached are read in one query. */
  async subjectKeys(subjectIds: Iterable<string>): Promise<Map<string, SubjectKeyState>> {
    const states = new Map<string, SubjectKeyState>();
    const missing: string[] = [];
    for (const subjectId of new Set(subjectIds)) {
      const cached = this.cache.get(subjectId);
      if (cached) states.set(subjectId, { status: 'active', subjectId, key: cached });
      else missing.push(subjectId);
    }
    if (missing.length === 0) return states;
    const epoch = this.cache.epoch();
    for (const [subjectId, state] of await this.keys.loadMany(missing)) {
      if (state.status === 'active') this.cache.put(subjectId, state.key, epoch);
      states.set(subjectId, state);
    }
    return states;
  }

  async subjectKey(subjectId: string): Promise<SubjectKeyState> {
    const cached = this.cache.get(subjectId);
    if (cached) return { status: 'active', subjectId, key: cached };
    const epoch = this.cache.epoch();
    const state = await this.keys.load(subjectId);
    if (state.status === 'active') this.cache.put(subjectId, state.key, epoch);
    return state;
  }

  /** Encrypts a personal field; undefined when the subject is erased or unknown (nothing may be written for them). */
  async encrypt(subjectId: string, plaintext: string, context: FieldContext): Promise<string | undefined> {
    const state = await this.subjectKey(subjectId);
    return state.status === 'active' ? encryptField(state, plaintext, context) : undefined;
  }

  /** Decrypts a field written by `encrypt`: `erased` once its subject's key is destroyed, never an exception. */
  async decrypt(value: string, context: FieldContext): Promise<FieldReading> {
    const field = parseEncryptedField(value);
    if (!field) return { status: 'unreadable', reason: 'not_encrypted' };
    return decryptField(await this.subjectKey(field.subjectId), field, context);
  }

  /** Destroys the subject's key here and, through NOTIFY, in every process's cache. */
  async destroyKey(subjectId: string): Promise<DestroyOutcome> {
    const outcome = await this.keys.destroy(subjectId);
    this.cache.evict(subjectId);
    return outcome;
  }

  /**
   * Told of every destroyed key, in this process or (through NOTIFY) another: for whatever else the
   * process keeps of a person (the event store's stream cache, the codec's address memo).
   */
  onKeyDestroyed(listener: (subjectId: string) => void): () => void {
    return this.cache.onEvict(listener);
  }

  /** Whether the cache is in use (its LISTEN connection is up). */
  get listening(): boolean {
    return this.listener.listening;
  }

  get cachedKeys(): number {
    return this.cache.size;
  }

  async close(): Promise<void> {
    await this.listener.stop();
    await this.pool.end();
  }
}
