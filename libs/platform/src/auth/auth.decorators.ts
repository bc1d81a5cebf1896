import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import type { Role } from './roles';

export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  institutionId: string | null;
}

export const IS_PUBLIC = 'passerelle:public';
export const ROLES = 'passerelle:roles';

/** Reachable without a token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<Request & { user: AuthUser }>().user;
});

/** Who is acting and under which request: the metadata every appended event carries. */
export interface CommandContext {
  actor: string | null;
  correlationId: string;
  causationId: string | null;
}

export const Context = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<Request & { user?: AuthUser; id?: unknown }>();
  return { actor: request.user?.id ?? null, correlationId: String(request.id ?? ''), causationId: null };
});
