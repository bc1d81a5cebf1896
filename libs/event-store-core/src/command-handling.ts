import type { CommandOptions, CommandResult } from './command-options';
import { type Preconditions, withCommandRetries } from './command-retry';
import { CommandSession } from './command-session';
import type { Decider } from './decider';
import type { EventStore } from './store';
import type { DomainEvent } from './types';

/**
 * The one command path. `work` decides on one or more streams through its session, inside one
 * transaction (which may also hold the command's other writes, on `session.tx`); with an idempotency
 * key it runs once per key. A lost race is retried, or is a 412 when the client's If-Match no longer
 * holds (see withCommandRetries).
 */
export function runCommand<Tx, T extends object>(
  store: EventStore<Tx>,
  options: CommandOptions,
  work: (session: CommandSession<Tx>) => Promise<T>,
): Promise<T & { replayed: boolean }> {
  return attempts(store, options, true, (session) => work(session));
}

/**
 * A command on one stream: the usual case of runCommand. Without an idempotency key it needs no
 * transaction (its one append commits alone) and may decide on the stream as this process kept it.
 */
export function handleCommand<Tx, TCommand, TState, TEvent extends DomainEvent>(
  store: EventStore<Tx>,
  streamId: string,
  decider: Decider<TCommand, TState, TEvent>,
  command: TCommand,
  options: CommandOptions = {},
): Promise<CommandResult> {
  return attempts(store, options, false, (session, attempt) =>
    session.decide(streamId, decider, command, { expectedVersion: options.expectedVersion, loaded: attempt === 1 ? options.loaded : undefined }),
  );
}

async function attempts<Tx, T extends object>(
  store: EventStore<Tx>,
  options: CommandOptions,
  transactional: boolean,
  work: (session: CommandSession<Tx>, attempt: number) => Promise<T>,
): Promise<T & { replayed: boolean }> {
  return withCommandRetries(store, options, async (attempt, preconditions: Preconditions) => {
    const session = (tx: Tx | undefined) => new CommandSession(store, tx, options.metadata, preconditions);
    if (options.idempotency) {
      const { scope, key, fingerprint } = options.idempotency;
      const { result, replayed } = await store.idempotent(scope, key, fingerprint, (tx) => work(session(tx), attempt));
      return { ...result, replayed };
    }
    if (transactional) return { ...(await store.transaction((tx) => work(session(tx), attempt))), replayed: false };
    return { ...(await work(session(undefined), attempt)), replayed: false };
  });
}
