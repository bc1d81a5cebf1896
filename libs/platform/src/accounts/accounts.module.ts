import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard } from '../auth/auth.guard';
import { AppConfig } from '../config/app-config';
import { UserEntity } from '../database/user.entity';
import { AccountsController } from './accounts.controller';
import { AdminSeeder } from './admin.seeder';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { UsersService } from './users.service';

/** Accounts, login and the guard that every HTTP route passes. */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject: given a string, jsonwebtoken first tries it as a public key, and throws and
        // catches on every verification (a fifth of the API's CPU under load).
        secret: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as string,
        signOptions: { expiresIn: config.JWT_TTL_SECONDS, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AccountsController],
  providers: [
    UsersService,
    AuthService,
    LoginThrottle,
    AdminSeeder,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [UsersService, AuthService, JwtModule],
})
export class AccountsModule {}
