import { createParamDecorator, type ExecutionContext, HttpStatus } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import { type CommandOptions, fingerprint } from '@passerelle/event-store-core';
import type { AuthUser } from '../auth/auth.decorators';
import { header } from './headers';
import { ProblemException, ValidationProblem } from './problem';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** `If-Match: "3"` (or W/"3") as a version number; absent is undefined; anything else is a 400. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '' || header === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) throw new ValidationProblem([{ field: 'If-Match', message: 'must be an ETag such as "3"' }]);
  return Number(match[1]);
}

/**
 * The options of a command sent on behalf of an HTTP request: who acts and under which correlation id,
 * the version the client expects (If-Match), and its Idempotency-Key, scoped to the caller and the route,
 * with a fingerprint of what it asked.
 */
export const WriteOptions = createParamDecorator((_: unknown, context: ExecutionContext): CommandOptions => {
  const request = context.switchToHttp().getRequest<Request & { user?: AuthUser; id?: unknown }>();
  const options: CommandOptions = {
    metadata: { actor: request.user?.id ?? null, correlationId: String(request.id ?? ''), causationId: null },
    expectedVersion: parseIfMatch(header(request, 'if-match')),
  };
  const key = header(request, 'idempotency-key');
  if (key !== undefined) {
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'validation-error', 'Invalid request', 'Idempotency-Key must be 1 to 200 letters, digits or ._:-', [
        { field: 'Idempotency-Key', message: 'must be 1 to 200 letters, digits or ._:-' },
      ]);
    }
    options.idempotency = {
      scope: `${request.user?.id ?? 'anonymous'} ${request.method} ${request.routeOptions.url ?? request.url}`,
      key,
      fingerprint: fingerprint({ params: request.params, body: request.body ?? null }),
    };
  }
  return options;
});
