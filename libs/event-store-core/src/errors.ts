/** The stream moved on between reading and appending. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: number | 'no_stream' | 'any',
    readonly actual: number | null,
  ) {
    super(`Stream ${streamId} is at version ${actual ?? 'unknown'}, expected ${expected}`);
    this.name = 'ConcurrencyError';
  }
}

/** The caller named the version it expects (HTTP If-Match) and the stream is no longer there. */
export class PreconditionFailedError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, not ${expected}`);
    this.name = 'PreconditionFailedError';
  }
}

/** An idempotency key was used again with a different request. */
export class IdempotencyConflictError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency key ${key} was already used with a different request`);
    this.name = 'IdempotencyConflictError';
  }
}

/** A consumer asked to stop on error, and an event failed. */
export class ConsumerStoppedError extends Error {
  constructor(
    readonly consumer: string,
    readonly position: number,
    readonly failure: unknown,
  ) {
    super(`Consumer ${consumer} stopped at position ${position}: ${describeError(failure)}`);
    this.name = 'ConsumerStoppedError';
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * A decider refused a command: the request was understood but breaks a business rule
 * (HTTP 409). `code` is a stable identifier clients may rely on; `errors`, when given, name the fields
 * the rule refused (a proposal outside its call's terms names each field that is).
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly code = 'domain_rule_violated',
    readonly errors?: readonly { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
