import { HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig, ProblemException, RedisConnection } from '@passerelle/platform';
import { judgeLogin, sourceLimit, type ThrottleRules } from '../domain/login-throttle-rules';
import { lockId, LoginThrottleKeys } from './login-throttle-keys';
import { ADMIT, FORGIVE_PAIR } from './login-throttle.scripts';

/** One login attempt as the throttle knows it: hashed account and source, and the wait before checking it. */
export interface LoginAttempt {
  account: string;
  source: string;
  delayMs: number;
}

/**
 * Holds back password guessing without letting anyone lock the owner out (rules in
 * domain/login-throttle-rules.ts): counted in Redis, so every API copy sees the same counts, under keys
 * that hold hashes only (login-throttle-keys.ts). An admitted attempt counts as a failure at once and is
 * forgiven if it succeeds, so parallel guesses cannot outrun the count.
 */
@Injectable()
export class LoginThrottle {
  readonly keys: LoginThrottleKeys;
  readonly rules: ThrottleRules;

  constructor(
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
  ) {
    this.keys = new LoginThrottleKeys(config.jwtSecret, config.QUEUE_PREFIX);
    this.rules = { maxFailures: config.LOGIN_MAX_FAILURES, maxDelayMs: config.LOGIN_DELAY_MAX_MS };
  }

  /** The attempt, counted, with the wait it must make first; a 429 with Retry-After if its source is held back. */
  async admit(email: string, address: string): Promise<LoginAttempt> {
    const account = this.keys.accountHash(email);
    const source = this.keys.sourceHash(address);
    const answer = (await this.redis.eval(
      ADMIT,
      4,
      this.keys.account(account),
      this.keys.pair(account, source),
      this.keys.source(source),
      this.keys.index,
      this.config.LOGIN_LOCK_SECONDS,
      this.rules.maxFailures,
      sourceLimit(this.rules),
      lockId(account, null).id,
      lockId(account, source).id,
      lockId(null, source).id,
    )) as number[];
    const [, pair, pairTtlMs, sourceCount, sourceTtlMs, accountCount] = answer.map(Number);
    // The script admitted the attempt by the same limits: the rules say how long to wait, or for how long it is refused.
    const verdict = judgeLogin({ pair, pairTtlMs, source: sourceCount, sourceTtlMs, account: accountCount }, this.rules);
    if (verdict.refused) {
      throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, 'too-many-login-attempts', 'Too Many Requests', 'Too many failed logins from here; try again later', undefined, {
        'Retry-After': String(verdict.retryAfterSeconds),
      });
    }
    return { account, source, delayMs: verdict.delayMs };
  }

  /** The attempt failed (it is counted already); `userId` when the e-mail is an account's, for the admins' list. */
  async failed(attempt: LoginAttempt, userId: string | null): Promise<void> {
    if (userId) await this.redis.set(this.keys.user(attempt.account), userId, 'EX', this.config.LOGIN_LOCK_SECONDS);
  }

  /** The source logged in: this attempt and its earlier failures on the account were the owner's own, and are forgiven. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.forgive(attempt.account, attempt.source);
  }

  /** Forgets a source's failures on an account; how many there were. */
  async forgive(account: string, source: string): Promise<number> {
    const failures = await this.redis.eval(
      FORGIVE_PAIR,
      4,
      this.keys.pair(account, source),
      this.keys.account(account),
      this.keys.source(source),
      this.keys.index,
      this.rules.maxFailures,
      sourceLimit(this.rules),
      lockId(account, source).id,
      lockId(account, null).id,
      lockId(null, source).id,
    );
    return Number(failures);
  }
}
