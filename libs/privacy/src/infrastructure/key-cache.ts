/**
 * Unwrapped subject keys kept by one process: for at most `ttlMs`, at most `maxEntries` of them
 * (the least recently used leave first). It serves nothing while it is `closed` (its eviction feed,
 * the LISTEN connection, is down), and it refuses a key read before an eviction that happened during
 * the read: `epoch()` before reading, `put(..., epoch)` after, and a put across an eviction is dropped.
 * So once an eviction notice has arrived, no cached copy of that key is served again.
 */
export class KeyCache {
  private readonly entries = new Map<string, { key: Buffer; expiresAt: number }>();
  private evictions = 0;
  private open = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A counter of evictions: take it before reading a key from the database. */
  epoch(): number {
    return this.evictions;
  }

  get(subjectId: string): Buffer | undefined {
    if (!this.open) return undefined;
    const entry = this.entries.get(subjectId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(subjectId);
      return undefined;
    }
    this.entries.delete(subjectId);
    this.entries.set(subjectId, entry);
    return entry.key;
  }

  /** Keeps the key unless the cache is closed, keeps nothing, or an eviction happened since `epoch`. */
  put(subjectId: string, key: Buffer, epoch: number): void {
    if (!this.open || this.ttlMs <= 0 || this.maxEntries <= 0 || epoch !== this.evictions) return;
    this.entries.delete(subjectId);
    this.entries.set(subjectId, { key, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  evict(subjectId: string): void {
    this.evictions++;
    this.entries.delete(subjectId);
    for (const listener of this.evictionListeners) listener(subjectId);
  }

  private readonly evictionListeners = new Set<(subjectId: string) => void>();

  /** Told of every eviction (a destroyed key, here or in another process); returns how to stop. */
  onEvict(listener: (subjectId: string) => void): () => void {
    this.evictionListeners.add(listener);
    return () => this.evictionListeners.delete(listener);
  }

  /** Forgets every key; with `closed`, serves and keeps none until `reopen()`. */
  clear({ closed = false }: { closed?: boolean } = {}): void {
    this.evictions++;
    this.entries.clear();
    if (closed) this.open = false;
  }

  /** Opens the cache (its eviction feed is listening again), empty. */
  reopen(): void {
    this.clear();
    this.open = true;
  }

  get isOpen(): boolean {
    return this.open;
  }

  get size(): number {
    return this.entries.size;
  }
}
