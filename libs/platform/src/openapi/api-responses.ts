import { STATUS_CODES } from 'node:http';
import { applyDecorators, RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemView } from './problem.view';

/** The error statuses of the contract (API.md, "Conventions"), and what each means on a route. */
const PROBLEMS = {
  400: 'invalid input: the fields at fault are named in `errors` (unknown fields too)',
  401: 'no token, or a bad, expired or revoked one (its account closed or gone, or its password changed since)',
  403: 'the role may not do this',
  404: 'not found, or not yours',
  409: 'the domain refuses (for example, the resource is not in a state that allows it)',
  410: 'the link was already used or has expired',
  412: '`If-Match` names a version that is no longer the current one',
  422: '`Idempotency-Key` already used with another request',
  429: 'too many requests: try again later',
  503: 'not ready: /health names what is down; a read with `X-Min-Position` waited 5 s for its read model (`Retry-After`)',
} as const;
export type ProblemStatus = keyof typeof PROBLEMS;

/** The error answers a route can give, each as application/problem+json. */
export function ApiProblems(...statuses: ProblemStatus[]) {
  return applyDecorators(
    ApiExtraModels(ProblemView),
    ...statuses.map((status) =>
      ApiResponse({ status, description: PROBLEMS[status], content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } } } }),
    ),
  );
}

/** The errors of any write on an existing resource, besides validation and authentication: unknown, refused, stale If-Match, reused key. */
export const WRITE_PROBLEMS: ProblemStatus[] = [400, 401, 403, 404, 409, 412, 422];
/** The errors of a read of one resource by id, with X-Min-Position. */
export const READ_PROBLEMS: ProblemStatus[] = [400, 401, 403, 404, 503];

const WRITE_HEADERS = {
  ETag: { description: 'the version written, as "<version>"', schema: { type: 'string' } },
  'X-Position': { description: 'the position of the write, for X-Min-Position', schema: { type: 'integer' } },
};

/**
 * The document must say the status the route answers: placed above the route's @Post/@Get and @HttpCode
 * (decorators apply from the bottom up), this checks it against them when the class is defined, and
 * refuses to be placed below them.
 */
function AnswersWith(status: number): MethodDecorator {
  return (target, key, descriptor) => {
    const route = `${target.constructor.name}.${String(key)}`;
    const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, descriptor.value as object);
    if (method === undefined) throw new Error(`${route}: put @ApiAnswers above the route's @Post, @Get, ...`);
    const actual: number = Reflect.getMetadata(HTTP_CODE_METADATA, descriptor.value as object) ?? (method === RequestMethod.POST ? 201 : 200);
    if (actual !== status) throw new Error(`${route} answers ${actual}, but its OpenAPI description says ${status}`);
  };
}

/** A summary, the success answer (`status` with a body of `type`) and the error answers of an operation. */
export function ApiAnswers(
  summary: string,
  status: number,
  type: Type<unknown> | [Type<unknown>],
  problems: ProblemStatus[],
  options: { write?: boolean; description?: string; headers?: Record<string, { description: string; schema: { type: string } }> } = {},
) {
  const headers = options.write || options.headers ? { ...(options.write ? WRITE_HEADERS : {}), ...options.headers } : undefined;
  return applyDecorators(
    AnswersWith(status),
    ApiOperation({ summary, description: options.description }),
    ApiResponse({ status, type, description: STATUS_CODES[status], headers }),
    ApiProblems(...problems),
  );
}
