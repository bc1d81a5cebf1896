import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@passerelle/platform';
import { UsersService } from '../infrastructure/users.service';

/** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no account has that e-mail. */
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
    if (await this.users.ensureAdmin(email, password)) this.logger.log(`Created the admin account ${email}`);
  }
}
