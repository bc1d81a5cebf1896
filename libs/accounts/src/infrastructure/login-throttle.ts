import { HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig, ProblemException, RedisConnection } from '@passerelle/platform';

/**
 * Slows down password guessing: after LOGIN_MAX_FAILURES failed logins for one account, or four times
 * as many from one address, within LOGIN_LOCK_SECONDS, further attempts get 429 until the window ends.
 * Counted in Redis, so every API copy sees the same counts. A successful login clears the account's count.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly redis: RedisConnection,
    private readonly config: AppConfig,
  ) {}

  async check(email: string, address: string): Promise<void> {
    const keys = this.keys(email, address);
    const [account, origin] = await this.redis.mget(keys.account, keys.address);
    const limited =
      Number(account ?? 0) >= this.config.LOGIN_MAX_FAILURES ? keys.account : Number(origin ?? 0) >= this.config.LOGIN_MAX_FAILURES * 4 ? keys.address : null;
    if (!limited) return;
    const retryAfter = Math.max(1, await this.redis.ttl(limited));
    throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, 'too-many-login-attempts', 'Too Many Requests', 'Too many failed logins; try again later', undefined, {
      'Retry-After': String(retryAfter),
    });
  }

  async failed(email: string, address: string): Promise<void> {
    const keys = this.keys(email, address);
    await this.redis
      .multi()
      .incr(keys.account)
      .expire(keys.account, this.config.LOGIN_LOCK_SECONDS, 'NX')
      .incr(keys.address)
      .expire(keys.address, this.config.LOGIN_LOCK_SECONDS, 'NX')
      .exec();
  }

  async succeeded(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '').account);
  }

  private keys(email: string, address: string) {
    const prefix = `{${this.config.QUEUE_PREFIX}}:login-failures`;
    return { account: `${prefix}:account:${email.trim().toLowerCase()}`, address: `${prefix}:address:${address}` };
  }
}
