import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, ConfigError } from '@passerelle/platform';
import { passwordWeakness } from '../infrastructure/password-policy';
import { UsersService } from '../infrastructure/users.service';

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no account has that e-mail. A password
 * the policy refuses stops the API at start, naming ADMIN_PASSWORD, whether or not the account exists.
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return;
    const weakness = passwordWeakness(password);
    if (weakness) throw new ConfigError([`ADMIN_PASSWORD ${weakness}`]);
    if (await this.users.ensureAdmin(email, password)) this.logger.log(`Created the admin account ${email}`);
  }
}
