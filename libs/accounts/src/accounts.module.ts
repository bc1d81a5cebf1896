import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountDirectory, AuthModule } from '@passerelle/platform';
import { AccountClosure, ErasedAccountClosure } from './application/account-closure';
import { AdminSeeder } from './application/admin.seeder';
import { AuthService } from './application/auth.service';
import { LoginLocksService } from './application/login-locks.service';
import { LoginLocks } from './infrastructure/login-locks';
import { ActivationTokens } from './infrastructure/activation-tokens';
import { PasswordChange } from './application/password-change';
import { LoginThrottle } from './infrastructure/login-throttle';
import { PartnerAccounts } from './infrastructure/partner-accounts';
import { UserEntity } from './infrastructure/user.entity';
import { UsersDirectory } from './infrastructure/users-directory';
import { UsersService } from './infrastructure/users.service';

const users = TypeOrmModule.forFeature([UserEntity]);

/** Accounts as the other contexts use them: users, partner accounts, activation tokens. */
@Module({
  imports: [users],
  providers: [UsersService, PartnerAccounts, ActivationTokens],
  exports: [UsersService, PartnerAccounts, ActivationTokens],
})
export class AccountsModule {}

/** The accounts the platform's auth guard reads on every request (global: the guard is the platform's). */
@Global()
@Module({
  providers: [{ provide: AccountDirectory, useClass: UsersDirectory }],
  exports: [AccountDirectory],
})
export class AccountDirectoryModule {}

/**
 * Logging in (with its throttle, which admins see and clear), changing one's password, closing accounts and the first admin
 * account: the API's side of accounts.
 */
@Module({
  imports: [AccountsModule, AccountDirectoryModule, AuthModule],
  providers: [AuthService, PasswordChange, AccountClosure, ErasedAccountClosure, LoginThrottle, LoginLocks, LoginLocksService, AdminSeeder],
  exports: [AccountsModule, AuthService, PasswordChange, AccountClosure, LoginLocksService],
})
export class LoginModule {}
