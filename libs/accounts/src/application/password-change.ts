import { setTimeout as sleep } from 'node:timers/promises';
import { HttpStatus, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AccountStandingCache, ProblemException } from '@passerelle/platform';
import { LoginThrottle } from '../infrastructure/login-throttle';
import { UsersService } from '../infrastructure/users.service';
import { AuthService, type LoginAnswer } from './auth.service';

/**
 * A person changes their own password: the current one is checked (wrong guesses count towards the
 * login throttle, so a stolen token cannot be used to guess it), every token issued before is revoked,
 * and a fresh one is the answer.
 */
@Injectable()
export class PasswordChange {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
    private readonly accounts: AccountStandingCache,
  ) {}

  async change(userId: string, currentPassword: string, newPassword: string, address = 'unknown'): Promise<LoginAnswer> {
    const user = await this.users.findWithHashById(userId);
    if (!user || user.closedAt) throw gone();
    const attempt = await this.throttle.admit(user.email, address);
    if (attempt.delayMs > 0) await sleep(attempt.delayMs);
    const valid = user.passwordHash ? await argon2.verify(user.passwordHash, currentPassword).catch(() => false) : false;
    if (!valid) {
      await this.throttle.failed(attempt, user.id);
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'wrong-current-password', 'Bad Request', 'The current password is not right', [
        { field: 'currentPassword', message: 'is not the password of this account' },
      ]);
    }
    const generation = await this.users.replacePassword(userId, newPassword);
    this.accounts.forget(userId);
    if (generation === null) throw gone();
    await this.throttle.succeeded(attempt);
    return this.auth.issueToken({ ...user, tokenGeneration: generation });
  }
}

function gone(): ProblemException {
  return new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', 'The account of this access token no longer exists or is closed', undefined, {
    'WWW-Authenticate': 'Bearer',
  });
}
