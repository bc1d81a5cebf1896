import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@passerelle/platform';
import { AdminSeeder } from './application/admin.seeder';
import { AuthService } from './application/auth.service';
import { LoginLocksService } from './application/login-locks.service';
import { LoginLocks } from './infrastructure/login-locks';
import { ActivationTokens } from './infrastructure/activation-tokens';
import { LoginThrottle } from './infrastructure/login-throttle';
import { PartnerAccounts } from './infrastructure/partner-accounts';
import { UserEntity } from './infrastructure/user.entity';
import { UsersService } from './infrastructure/users.service';

const users = TypeOrmModule.forFeature([UserEntity]);

/** Accounts as the other contexts use them: users, partner accounts, activation tokens. */
@Module({
  imports: [users],
  providers: [UsersService, PartnerAccounts, ActivationTokens],
  exports: [UsersService, PartnerAccounts, ActivationTokens],
})
export class AccountsModule {}

/** Logging in (with its throttle, which admins see and clear) and the first admin account: the API's side of accounts. */
@Module({
  imports: [AccountsModule, AuthModule],
  providers: [AuthService, LoginThrottle, LoginLocks, LoginLocksService, AdminSeeder],
  exports: [AccountsModule, AuthService, LoginLocksService],
})
export class LoginModule {}
