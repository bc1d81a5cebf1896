import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ProblemException } from '../http/problem';
import { Clock } from '../runtime/clock';
import type { AuthUser } from './auth.decorators';
import { AccountStandingCache } from './account-standing.cache';

/** What the API signs into an access token; only `sub`, `exp` and `gen` are trusted when it comes back. */
export interface TokenClaims {
  sub: string;
  email?: string;
  role?: string;
  institutionId?: string | null;
  /** The account's token generation when the token was issued (absent in tokens issued before it existed: 0). */
  gen?: number;
  exp: number;
}

/** Tokens verified lately, by their exact text: a client sends the same one with every request. */
const VERIFIED_MAX = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who an access token speaks for, now: its signature and expiry checked, then its account read
 * (through AccountStandingCache). A token whose account is gone or closed, or that was issued before
 * the account's last password change or closure, is refused; the role and institution are the
 * account's, whatever the token says.
 */
@Injectable()
export class AccessTokens {
  /**
   * Checking a token's signature was a tenth of the API's time per request. The same text verifies the
   * same way until it expires, so a verified token is remembered (by its text) until its `exp`.
   */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    private readonly accounts: AccountStandingCache,
  ) {}

  async authenticate(token: string): Promise<AuthUser> {
    const claims = await this.verify(token);
    const account = await this.accounts.get(claims.sub);
    if (!account || account.closed) throw unauthorized('The account of this access token no longer exists or is closed');
    if ((claims.gen ?? 0) !== account.tokenGeneration) throw unauthorized('This access token was revoked: log in again');
    return { id: account.id, email: account.email, role: account.role, institutionId: account.institutionId };
  }

  private async verify(token: string): Promise<TokenClaims> {
    const now = this.clock.now();
    const known = this.verified.get(token);
    if (known && known.exp * 1000 > now) return known;
    if (known) this.verified.delete(token);
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { clockTimestamp: Math.floor(now / 1000) });
    } catch {
      throw unauthorized('The access token is invalid or has expired');
    }
    // Signed by us but malformed (no expiry, say): refused, never remembered.
    if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string' || !UUID.test(claims.sub) || (claims.gen !== undefined && !Number.isInteger(claims.gen))) {
      throw unauthorized('The access token is invalid: it must name an account and expire');
    }
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }
}

export function unauthorized(detail: string): ProblemException {
  return new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', detail, undefined, {
    'WWW-Authenticate': 'Bearer',
  });
}
