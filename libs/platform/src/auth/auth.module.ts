import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { AccessTokens } from './access-tokens';
import { AccountStandingCache } from './account-standing.cache';
import { AuthGuard } from './auth.guard';

/**
 * Access tokens (signed and verified with JWT_SECRET) and the guard that every HTTP route passes. The
 * accounts the guard reads come from an AccountDirectory that the accounts context provides globally.
 */
@Module({
  imports: [
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
  providers: [AccountStandingCache, AccessTokens, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [JwtModule, AccountStandingCache, AccessTokens],
})
export class AuthModule {}
