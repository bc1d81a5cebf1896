import type { Decider } from './decider';
import { fold } from './decider';
import { ConcurrencyError, DomainError, PreconditionFailedError } from './errors';
import type { EventStore } from './store';
import type { DomainEvent, EventMetadata, StoredEvent } from './types';

export interface CommandOptions {
  metadata?: Partial<EventMetadata>;
  /** The version the caller last saw (HTTP If-Match); a different current version fails with 412. */
  expectedVersion?: number;
  /** Apply the command once per key; a repeat with the same fingerprint returns the first result. */
  idempotency?: { scope: string; key: string; fingerprint: string };
  /** Attempts when a concurrent append wins the race (without `expectedVersion`). */
  maxAttempts?: number;
  /** The stream's events as the caller just read them: the first attempt decides on these instead of reading again. */
  loaded?: StoredEvent[];
}

export interface CommandResult {
  streamId: string;
  version: number;
  position: number;
  /** The events this command appended (empty when it changed nothing, or when replayed). */
  events: Pick<StoredEvent, 'id' | 'type' | 'version' | 'position' | 'data'>[];
  /** True when an idempotency key matched and the first result was returned. */
  replayed: boolean;
}

/**
 * The one command path: load the stream, fold `evolve`, call `decide`, append with the version
 * read. A concurrent append that wins the race makes it start again, a few times.
 */
export async function handleCommand<Tx, TCommand, TState, TEvent extends DomainEvent>(
  store: EventStore<Tx>,
  streamId: string,
  decider: Decider<TCommand, TState, TEvent>,
  command: TCommand,
  options: CommandOptions = {},
): Promise<CommandResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const fromCache = await decideOnCachedStream(store, streamId, decider, command, options);
  if (fromCache) return fromCache;
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (options.idempotency) {
        const { scope, key, fingerprint } = options.idempotency;
        const { result, replayed } = await store.idempotent(scope, key, fingerprint, (client) =>
          decideAndAppend(store, streamId, decider, command, options, client),
        );
        store.forgetStream(streamId);
        return { ...withoutStream(result), replayed };
      }
      const result = await decideAndAppend(store, streamId, decider, command, options);
      store.rememberStream(streamId, result.stream);
      return { ...withoutStream(result), replayed: false };
    } catch (err) {
      const retry = err instanceof ConcurrencyError && options.expectedVersion === undefined && attempt < maxAttempts;
      options = { ...options, loaded: undefined };
      if (!retry) {
        if (err instanceof ConcurrencyError && options.expectedVersion !== undefined) {
          const actual = await store.streamVersion(streamId);
          throw new PreconditionFailedError(streamId, options.expectedVersion, actual);
        }
        throw err;
      }
      await delay(Math.random() * 5 * attempt);
    }
  }
}

/**
 * A command that writes several streams at once (e.g. a workshop and the invitations it issues):
 * `work` runs in one transaction, with the same idempotency and retry rules as `handleCommand`.
 * Inside it, use `decideOn` for each stream.
 */
export async function executeInTransaction<Tx, T extends object>(
  store: EventStore<Tx>,
  options: CommandOptions,
  work: (tx: Tx) => Promise<T>,
): Promise<T & { replayed: boolean }> {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (options.idempotency) {
        const { scope, key, fingerprint } = options.idempotency;
        const { result, replayed } = await store.idempotent(scope, key, fingerprint, work);
        return { ...result, replayed };
      }
      return { ...(await store.transaction(work)), replayed: false };
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || options.expectedVersion !== undefined || attempt >= maxAttempts) throw err;
      await delay(Math.random() * 5 * attempt);
    }
  }
}

/** Load, decide and append one stream inside a transaction begun by `executeInTransaction`. */
export function decideOn<Tx, TCommand, TState, TEvent extends DomainEvent>(
  store: EventStore<Tx>,
  tx: Tx,
  streamId: string,
  decider: Decider<TCommand, TState, TEvent>,
  command: TCommand,
  options: Pick<CommandOptions, 'metadata' | 'expectedVersion'> = {},
): Promise<Omit<CommandResult, 'replayed'>> {
  // The transaction may still roll back: whatever this process kept of the stream is forgotten.
  store.forgetStream(streamId);
  return decideAndAppend(store, streamId, decider, command, options, tx).then(withoutStream);
}

/** The stream's state and version, folded from its events. */
export async function loadAggregate<Tx, TState, TEvent extends DomainEvent>(
  store: EventStore<Tx>,
  streamId: string,
  decider: Pick<Decider<unknown, TState, TEvent>, 'initialState' | 'evolve'>,
  client?: Tx,
): Promise<{ state: TState; version: number; position: number; events: StoredEvent[] }> {
  const events = await store.readStream(streamId, 1, client);
  const state = fold(decider, events as unknown as TEvent[]);
  const last = events[events.length - 1];
  return { state, version: last?.version ?? 0, position: last?.position ?? 0, events };
}

function foldLoaded<TState, TEvent extends DomainEvent>(
  decider: Pick<Decider<unknown, TState, TEvent>, 'initialState' | 'evolve'>,
  events: StoredEvent[],
): { state: TState; version: number; position: number } {
  const last = events[events.length - 1];
  return { state: fold(decider, events as unknown as TEvent[]), version: last?.version ?? 0, position: last?.position ?? 0 };
}

/**
 * A command on a stream this process kept (see `streamCacheSize`), decided without reading it. Only an
 * append proves the kept events current (it expects their version), so the answer stands only if the
 * command appends and the append succeeds; anything else (a refusal, nothing to do, a newer version) is
 * left to the usual path, which reads the stream. Not with If-Match or an idempotency key.
 */
async function decideOnCachedStream<Tx, TCommand, TState, TEvent extends DomainEvent>(
  store: EventStore<Tx>,
  streamId: string,
  decider: Decider<TCommand, TState, TEvent>,
  command: TCommand,
  options: CommandOptions,
): Promise<CommandResult | null> {
  if (options.loaded || options.expectedVersion !== undefined || options.idempotency) return null;
  const cached = store.cachedStream(streamId);
  if (!cached) return null;
  try {
    const result = await decideAndAppend(store, streamId, decider, command, { ...options, loaded: cached });
    if (result.events.length === 0) return null; // nothing to do, on what was kept: not proven
    store.rememberStream(streamId, result.stream);
    return { ...withoutStream(result), replayed: false };
  } catch (err) {
    if (err instanceof ConcurrencyError || err instanceof DomainError) {
      store.forgetStream(streamId);
      return null;
    }
    throw err;
  }
}

type Decided = Omit<CommandResult, 'replayed'> & { stream: StoredEvent[] };

function withoutStream({ stream: _stream, ...result }: Decided): Omit<CommandResult, 'replayed'> {
  return result;
}

/** Decides on the stream (read, or as loaded) and appends what the decision says. */
async function decideAndAppend<Tx, TCommand, TState, TEvent extends DomainEvent>(
  store: EventStore<Tx>,
  streamId: string,
  decider: Decider<TCommand, TState, TEvent>,
  command: TCommand,
  options: CommandOptions,
  client?: Tx,
): Promise<Decided> {
  const loaded = options.loaded ?? (await store.readStream(streamId, 1, client));
  const { state, version, position } = foldLoaded(decider, loaded);
  if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
    throw new PreconditionFailedError(streamId, options.expectedVersion, version);
  }
  const events = decider.decide(command, state);
  if (events.length === 0) return { streamId, version, position, events: [], stream: loaded };
  const appended = await store.append(
    streamId,
    events.map((event) => ({ type: event.type, data: event.data })),
    { expectedVersion: version, metadata: options.metadata, client },
  );
  return {
    streamId,
    version: appended.version,
    position: appended.position,
    events: appended.events.map(({ id, type, version: v, position: p, data }) => ({ id, type, version: v, position: p, data })),
    stream: [...loaded, ...appended.events],
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
