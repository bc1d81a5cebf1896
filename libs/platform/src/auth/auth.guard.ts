import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest as Request } from 'fastify';
import type { Role } from './roles';
import { ProblemException } from '../http/problem';
import { AccessTokens, unauthorized } from './access-tokens';
import { type AuthUser, IS_PUBLIC, ROLES } from './auth.decorators';

/**
 * Every route needs a valid bearer token unless marked @Public(); @Roles() narrows it further, by the
 * role the account has now (AccessTokens), not the one the token was issued with.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Send an access token: Authorization: Bearer <token>');
    const user = await this.tokens.authenticate(match[1]);
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', `This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
