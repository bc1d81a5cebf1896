import { DomainError } from './errors';

/**
 * A decider's state is a union tagged by `status`; `none` is a stream nobody has started yet, and it
 * knows nothing, so it carries nothing.
 */
export interface NotStarted {
  status: 'none';
}

/** The state narrowed to some of its statuses. An intersection rather than `Extract`, so a variant holding several statuses narrows too. */
export type InStatus<S extends { status: string }, K extends S['status']> = S & { status: K };

/** Refuses a command that breaks a business rule (HTTP 409); `code` is what clients rely on. */
export function refuse(message: string, code: string): never {
  throw new DomainError(message, code);
}

/** "This workshop does not exist" (`workshop_not_found`): the one refusal of a command on a stream never started. */
export function notFound(subject: string): DomainError {
  return new DomainError(`This ${subject} does not exist`, `${subject}_not_found`);
}

/** Refuses to start a stream twice: "This workshop already exists" (`workshop_exists`). */
export function requireNew<S extends { status: string }>(state: S, subject: string): asserts state is InStatus<S, 'none'> {
  if (state.status !== 'none') refuse(`This ${subject} already exists`, `${subject}_exists`);
}

/** Refuses a command on a stream never started (`<subject>_not_found`); any other status will do. */
export function requireExisting<S extends { status: string }>(state: S, subject: string): asserts state is Exclude<S, NotStarted> {
  if (state.status === 'none') throw notFound(subject);
}

/**
 * Refuses a command unless the state is in one of the `allowed` statuses: `<subject>_not_found` when
 * the stream was never started, else `<subject>_status` with "Cannot <action> a <subject> that is
 * <status>". The caller's state is narrowed to the allowed statuses.
 */
export function requireStatus<S extends { status: string }, const K extends Exclude<S['status'], 'none'>>(
  state: S,
  allowed: readonly K[],
  subject: string,
  action: string,
): asserts state is InStatus<S, K> {
  if (state.status === 'none') throw notFound(subject);
  if (!(allowed as readonly string[]).includes(state.status)) {
    refuse(`Cannot ${action} a ${subject} that is ${state.status.replace('_', ' ')}`, `${subject}_status`);
  }
}
