import { Injectable } from '@nestjs/common';
import { RedisConnection } from '@passerelle/platform';
import { LoginThrottle } from './login-throttle';
import { type LockId, parseLockId } from './login-throttle-keys';

/** A throttle entry as Redis holds it. */
export interface LoginLock {
  lock: LockId;
  failures: number;
  until: Date;
  userId: string | null;
}

/** Where a page of entries ends: the next page starts after it. */
export interface LockCursor {
  untilMs: number;
  id: string;
}

/** The throttle entries in force, in the order they end, for admins to see and clear. */
@Injectable()
export class LoginLocks {
  constructor(
    private readonly redis: RedisConnection,
    private readonly throttle: LoginThrottle,
  ) {}

  async page(limit: number, after: LockCursor | null): Promise<{ locks: LoginLock[]; next: LockCursor | null }> {
    const index = this.throttle.keys.index;
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const entries: [string, number][] = [];
    let from = String(now);
    if (after && after.untilMs >= now) {
      const ties = scored(await this.redis.zrangebyscore(index, after.untilMs, after.untilMs, 'WITHSCORES'));
      entries.push(...ties.filter(([id]) => id > after.id));
      from = `(${after.untilMs}`;
    }
    entries.push(...scored(await this.redis.zrangebyscore(index, from, '+inf', 'WITHSCORES', 'LIMIT', 0, limit + 1)));
    const kept = entries.slice(0, limit);
    const last = kept[kept.length - 1];
    const next = entries.length > limit && last ? { untilMs: last[1], id: last[0] } : null;
    const locks = await Promise.all(kept.map(([id]) => this.read(parseLockId(id))));
    return { locks: locks.filter((lock): lock is LoginLock => lock !== null), next };
  }

  /** Clears an entry: what it was, or null if there was none. A source's failures on an account are forgiven. */
  async clear(lock: LockId): Promise<LoginLock | null> {
    const found = await this.read(lock);
    if (!found) {
      await this.redis.zrem(this.throttle.keys.index, lock.id);
      return null;
    }
    if (lock.account && lock.source) await this.throttle.forgive(lock.account, lock.source);
    else await this.redis.multi().del(this.throttle.keys.counter(lock)).zrem(this.throttle.keys.index, lock.id).exec();
    return found;
  }

  private async read(lock: LockId | null): Promise<LoginLock | null> {
    if (!lock) return null;
    const keys = this.throttle.keys;
    const counter = keys.counter(lock);
    const answers = await this.redis
      .multi()
      .get(counter)
      .pexpiretime(counter)
      .get(lock.account ? keys.user(lock.account) : counter)
      .exec();
    const [[, count], [, endsAt], [, user]] = answers ?? [];
    if (!count || Number(endsAt) <= 0) return null;
    return { lock, failures: Number(count), until: new Date(Number(endsAt)), userId: lock.account ? ((user as string | null) ?? null) : null };
  }
}

function scored(flat: string[]): [string, number][] {
  const pairs: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i], Number(flat[i + 1])]);
  return pairs;
}
