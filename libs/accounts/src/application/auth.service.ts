import { setTimeout as sleep } from 'node:timers/promises';
import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as argon2 from 'argon2';
import { AppConfig, ProblemException } from '@passerelle/platform';
import { LoginThrottle } from '../infrastructure/login-throttle';
import { hashPassword } from '../infrastructure/password';
import type { UserEntity } from '../infrastructure/user.entity';
import { UsersService } from '../infrastructure/users.service';

export interface LoginAnswer {
  accessToken: string;
  expiresIn: number;
  user: { id: string; email: string; role: string; institutionId?: string };
}

@Injectable()
export class AuthService {
  /** Compared against when the e-mail is unknown, so that both failures take as long. */
  private readonly dummyHash = hashPassword('passerelle-no-such-user');

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Checks the credentials, unless the throttle holds this source back (429). For an account under attack
   * the attempt first waits the throttle's delay (a few seconds at most), before any database work, so
   * waiting holds a timer and the request, no database connection.
   */
  async login(email: string, password: string, address = 'unknown'): Promise<LoginAnswer> {
    const attempt = await this.throttle.admit(email, address);
    if (attempt.delayMs > 0) await sleep(attempt.delayMs);
    const user = await this.users.findWithHash(email);
    const hash = user?.passwordHash ?? (await this.dummyHash);
    const valid = await argon2.verify(hash, password).catch(() => false);
    if (!user || !user.passwordHash || !valid) {
      await this.throttle.failed(attempt, user?.id ?? null);
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'invalid-credentials', 'Unauthorized', 'Wrong e-mail or password');
    }
    await this.throttle.succeeded(attempt);
    return this.issueToken(user);
  }

  async issueToken(user: UserEntity): Promise<LoginAnswer> {
    const accessToken = await this.jwt.signAsync({
      sub: user.id,
      email: user.email,
      role: user.role,
      institutionId: user.institutionId,
    });
    return {
      accessToken,
      expiresIn: this.config.JWT_TTL_SECONDS,
      user: {
        id: user.id,
        email: user.email,
        role: user.role,
        ...(user.institutionId ? { institutionId: user.institutionId } : {}),
      },
    };
  }
}
