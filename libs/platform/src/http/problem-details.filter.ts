import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConcurrencyError, DomainError, IdempotencyConflictError, PreconditionFailedError } from '@passerelle/event-store-core';
import { PROBLEM_BASE, plainProblem, type ProblemBody, ProblemException } from './problem';

/** Every error leaves as application/problem+json; anything unexpected is a logged 500 saying nothing more. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { body, headers } = this.toProblem(exception);
    if (body.status >= 500) {
      this.logger.error(
        { err: exception, path: request.url, correlationId: (request as { id?: unknown }).id },
        'Unhandled error',
      );
    }
    if (reply.sent) return;
    reply.headers(headers).status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): { body: ProblemBody; headers: Record<string, string> } {
    if (exception instanceof ProblemException) {
      const status = exception.getStatus();
      const body: ProblemBody = {
        ...exception.extensions,
        type: PROBLEM_BASE + exception.problemType,
        title: exception.title,
        status,
        detail: exception.detail,
      };
      if (exception.errors) body.errors = exception.errors;
      return { body, headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'object' && response && 'message' in response ? (response as { message: unknown }).message : exception.message;
      return plain(status, Array.isArray(message) ? message.join('; ') : String(message));
    }
    if (exception instanceof PreconditionFailedError) {
      return plain(412, `The resource is at version ${exception.actual}, not ${exception.expected}`, 'precondition-failed');
    }
    if (exception instanceof IdempotencyConflictError) {
      return plain(422, 'This Idempotency-Key was already used with a different request', 'idempotency-key-reused');
    }
    if (exception instanceof ConcurrencyError) {
      return plain(409, 'The resource was changed by another request at the same time; try again', 'concurrent-change');
    }
    if (exception instanceof DomainError) {
      const status = exception.code.endsWith('_not_found') ? 404 : 409;
      const answer = plain(status, exception.message, exception.code.replace(/_/g, '-'));
      answer.body.code = exception.code;
      if (exception.errors?.length) answer.body.errors = [...exception.errors];
      return answer;
    }
    // The HTTP framework's own refusals of a request (a body too large, say) carry their 4xx status.
    const frameworkError = exception as { status?: number; statusCode?: number; message?: string };
    const status = frameworkError?.status ?? frameworkError?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return plain(status, String(frameworkError.message ?? ''));
    return plain(500, 'Something went wrong on our side; it has been logged');
  }
}

function plain(status: number, detail: string, type?: string): { body: ProblemBody; headers: Record<string, string> } {
  return { body: plainProblem(status, detail, type), headers: {} };
}
