import { createHmac } from 'node:crypto';
import { loginSource } from '../domain/login-source';

/** What a throttle entry holds back: one source on one account (429), one account (slowed), one source (429). */
export type LockScope = 'source-on-account' | 'account' | 'source';

/** A throttle entry's id, `<account hash>.<source hash>`, with `any` for the side it does not name. */
export interface LockId {
  id: string;
  scope: LockScope;
  account: string | null;
  source: string | null;
}

const HASH = /^[0-9a-f]{32}$/;
const ANY = 'any';

export function lockId(account: string | null, source: string | null): LockId {
  const scope: LockScope = account && source ? 'source-on-account' : account ? 'account' : 'source';
  return { id: `${account ?? ANY}.${source ?? ANY}`, scope, account, source };
}

/** The entry an id names, or null for text that is no such id. */
export function parseLockId(id: string): LockId | null {
  const [account, source, extra] = id.split('.');
  const side = (part: string | undefined) => (part === ANY ? null : part !== undefined && HASH.test(part) ? part : undefined);
  const [a, s] = [side(account), side(source)];
  if (a === undefined || s === undefined || extra !== undefined || (a === null && s === null)) return null;
  return lockId(a, s);
}

/**
 * The Redis keys of the login throttle. E-mails and addresses never appear in them: each is replaced by a
 * keyed hash (HMAC-SHA-256 under a key derived from the JWT signing key, cut to 128 bits), so what Redis
 * holds cannot be read back into who tried to log in from where, nor confirmed by hashing guesses without
 * the key. Every key carries the queues' hash tag, so the scripts' keys live on one Redis Cluster node.
 */
export class LoginThrottleKeys {
  private readonly secret: Buffer;
  private readonly prefix: string;

  constructor(signingKey: string, queuePrefix: string) {
    this.secret = createHmac('sha256', signingKey).update('passerelle/login-throttle/v1').digest();
    this.prefix = `{${queuePrefix}}:login`;
  }

  accountHash(email: string): string {
    return this.hash('account', email.trim().toLowerCase());
  }

  sourceHash(address: string): string {
    return this.hash('source', loginSource(address));
  }

  /** Failures for the account from everywhere. */
  account(account: string): string {
    return `${this.prefix}:account:${account}`;
  }

  /** Failures for the account from the source. */
  pair(account: string, source: string): string {
    return `${this.prefix}:pair:${account}:${source}`;
  }

  /** Failures from the source over every account. */
  source(source: string): string {
    return `${this.prefix}:source:${source}`;
  }

  /** The id of the user the hashed e-mail belongs to, for the admins' list. */
  user(account: string): string {
    return `${this.prefix}:user:${account}`;
  }

  /** The entries that hold back or slow logins, scored by when they end (ms). */
  get index(): string {
    return `${this.prefix}:throttled`;
  }

  /** The counter an entry stands for. */
  counter(lock: LockId): string {
    if (lock.account && lock.source) return this.pair(lock.account, lock.source);
    return lock.account ? this.account(lock.account) : this.source(lock.source!);
  }

  private hash(kind: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${kind}\0${value}`).digest('hex').slice(0, 32);
  }
}
