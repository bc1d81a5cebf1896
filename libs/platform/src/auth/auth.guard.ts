import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest as Request } from 'fastify';
import type { Role } from './roles';
import { ProblemException } from '../http/problem';
import { Clock } from '../runtime/clock';
import { type AuthUser, IS_PUBLIC, ROLES } from './auth.decorators';

interface TokenClaims {
  sub: string;
  email: string;
  role: Role;
  institutionId?: string | null;
  exp?: number;
}

/** Tokens verified lately, by their exact text: a client sends the same one with every request. */
const VERIFIED_MAX = 10_000;

/** Every route needs a valid bearer token unless marked @Public(); @Roles() narrows it further. */
@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Checking a token's signature was a tenth of the API's time per request. The same text verifies the
   * same way until it expires, so a verified token is remembered (by its text) until its `exp`.
   */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Send an access token: Authorization: Bearer <token>');
    const claims = await this.verify(match[1]);
    request.user = { id: claims.sub, email: claims.email, role: claims.role, institutionId: claims.institutionId ?? null };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(claims.role)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', `This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }

  private async verify(token: string): Promise<TokenClaims> {
    const known = this.verified.get(token);
    const now = this.clock.now();
    if (known && (known.exp === undefined || known.exp * 1000 > now)) return known;
    if (known) this.verified.delete(token);
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { clockTimestamp: Math.floor(now / 1000) });
    } catch {
      throw unauthorized('The access token is invalid or has expired');
    }
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }
}

function unauthorized(detail: string): ProblemException {
  return new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', detail, undefined, {
    'WWW-Authenticate': 'Bearer',
  });
}
