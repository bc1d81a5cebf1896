import { HttpException, HttpStatus, ValidationPipe, type ValidationError } from '@nestjs/common';

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

/** class-validator errors as a flat list of dotted field paths (`contact.email`, `participants.3.country`). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property \S+ should not exist$/, 'is not a known field'),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Whitelisting, unknown fields refused, payloads turned into DTO instances. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flattenValidationErrors(errors)),
  });
}
