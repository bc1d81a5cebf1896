import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from '../runtime/clock';
import { AccountDirectory, type AccountStanding } from './account-directory';

interface Entry {
  /** When the read began: an entry is trusted ACCOUNT_CACHE_SECONDS from then, never longer. */
  readAt: number;
  value?: AccountStanding | null;
  pending?: Promise<AccountStanding | null>;
}

/** Accounts a process remembers at most (beyond it, it forgets them all and reads again). */
const CACHE_MAX = 50_000;

/**
 * The accounts of recent requests, each trusted for ACCOUNT_CACHE_SECONDS: a request costs one Map
 * lookup, and a change to an account (in the table, or by another process) is honoured by every
 * process within that time. Concurrent requests of one account share one read. The process that
 * makes a change forgets the account at once (`forget`).
 */
@Injectable()
export class AccountStandingCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;

  constructor(
    private readonly directory: AccountDirectory,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.ttlMs = config.ACCOUNT_CACHE_SECONDS * 1000;
  }

  async get(id: string): Promise<AccountStanding | null> {
    const now = this.clock.now();
    const known = this.entries.get(id);
    // A clock set back (the wall clock is not monotonic) must not stretch an entry's life.
    if (known && now >= known.readAt && now - known.readAt < this.ttlMs) return known.pending ?? known.value ?? null;
    return this.read(id, now);
  }

  /** Forgets the account: the next request reads it again. */
  forget(id: string): void {
    this.entries.delete(id);
  }

  private read(id: string, now: number): Promise<AccountStanding | null> {
    if (this.entries.size >= CACHE_MAX) this.entries.clear();
    const entry: Entry = { readAt: now };
    entry.pending = this.directory.find(id).then(
      (value) => {
        entry.value = value;
        entry.pending = undefined;
        return value;
      },
      (err: unknown) => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
        throw err;
      },
    );
    this.entries.set(id, entry);
    return entry.pending;
  }
}
