import { STATUS_CODES } from 'node:http';
import { type ArgumentMetadata, HttpException, HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';
import { rememberValidationRules } from './validation-rules';
import { messagesFor } from './validation-messages';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** A problem with no field errors: its title is the status's own, its type that title's slug unless given. */
export function plainProblem(status: number, detail: string, type?: string): ProblemBody {
  const title = STATUS_CODES[status] ?? 'Error';
  return { type: PROBLEM_BASE + (type ?? title.toLowerCase().replace(/[^a-z]+/g, '-')), title, status, detail };
}

export const PROBLEM_BASE = 'https://passerelle.local/problems/';

/** An HTTP error answered as application/problem+json (RFC 9457). */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly problemType: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title, status);
  }

  get detail(): string {
    return this.message;
  }
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[]) {
    const fields = [...new Set(errors.map((error) => error.field))].join(', ');
    super(HttpStatus.BAD_REQUEST, 'validation-error', 'Invalid request', `Check these fields: ${fields}`, errors);
  }
}

/**
 * class-validator errors as a flat list of dotted field paths (`contact.email`, `participants.3.country`),
 * one message for a missing field (see messagesFor).
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = messagesFor(error).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Field names class-transformer drops without a word when it turns a body into a DTO (the members of
 * Object.prototype, and `prototype`), so that whitelisting never sees them. No DTO here has one.
 */
const DROPPED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The paths of fields, at any depth, that class-transformer would drop (the body is already known to be shallow: refuseDeepNesting). */
export function fieldsDroppedByTransform(value: unknown, path?: string, into: FieldError[] = []): FieldError[] {
  if (typeof value !== 'object' || value === null) return into;
  for (const key of Object.keys(value)) {
    // An empty field name is a segment too: `{"": {"toString": 1}}` names `.toString`.
    const field = path === undefined ? key : `${path}.${key}`;
    if (!Array.isArray(value) && DROPPED_NAMES.has(key)) into.push({ field, message: 'is not a known field' });
    else fieldsDroppedByTransform((value as Record<string, unknown>)[key], field, into);
  }
  return into;
}

/**
 * Whitelisting, unknown fields refused, payloads turned into DTO instances. A body field named like a
 * member of Object.prototype (`constructor`, `toString`, `__proto__`, ...) is refused as unknown too,
 * together with whatever else is wrong, instead of being dropped silently on the way to the DTO.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dropped = metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object ? fieldsDroppedByTransform(value) : [];
    if (dropped.length === 0) return super.transform(value, metadata);
    let others: FieldError[] = [];
    try {
      await super.transform(value, metadata);
    } catch (err) {
      if (!(err instanceof ValidationProblem)) throw err;
      others = err.errors ?? [];
    }
    throw new ValidationProblem([...dropped, ...others]);
  }
}

export function validationPipe(): ValidationPipe {
  rememberValidationRules();
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // The value tells a missing field from a wrong one; it is never sent back (flattenValidationErrors).
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}
