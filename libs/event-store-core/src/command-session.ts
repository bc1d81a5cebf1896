import type { StreamChange } from './command-options';
import type { Preconditions } from './command-retry';
import type { Decider } from './decider';
import { ConcurrencyError, DomainError, PreconditionFailedError } from './errors';
import { type Aggregate, foldStream, loadAggregate } from './load-aggregate';
import type { EventStore } from './store';
import type { AppendResult, DomainEvent, EventMetadata, StoredEvent } from './types';

export interface DecideOptions {
  /** The version the client expects this stream at (HTTP If-Match). */
  expectedVersion?: number;
  /** The stream's events as the caller just read them, to decide on instead of reading again. */
  loaded?: StoredEvent[];
}

/** A decision and the whole stream after it, for the stream cache. */
type Decided = StreamChange & { stream: StoredEvent[] };

/**
 * One attempt at a command: decide on streams and append what the decisions say, inside the command's
 * transaction (`tx`). A single-stream command without an idempotency key has no transaction: its one
 * append commits alone, and it may decide on the stream as this process kept it (`streamCacheSize`).
 */
export class CommandSession<Tx> {
  constructor(
    private readonly store: EventStore<Tx>,
    private readonly transaction: Tx | undefined,
    private readonly metadata: Partial<EventMetadata> | undefined,
    private readonly preconditions: Preconditions,
  ) {}

  /** The command's transaction, for writes that must commit or roll back with its events. */
  get tx(): Tx {
    if (this.transaction === undefined) throw new Error('This command runs without a transaction');
    return this.transaction;
  }

  /** Loads the stream, folds it, decides, and appends with the version read. */
  async decide<TCommand, TState, TEvent extends DomainEvent>(
    streamId: string,
    decider: Decider<TCommand, TState, TEvent>,
    command: TCommand,
    options: DecideOptions = {},
  ): Promise<StreamChange> {
    // The client's precondition is the first version named for a stream; later ones follow this command's own appends.
    if (options.expectedVersion !== undefined && !this.preconditions.has(streamId)) this.preconditions.set(streamId, options.expectedVersion);
    if (this.transaction !== undefined) {
      // The transaction may still roll back: whatever this process kept of the stream is forgotten.
      this.store.forgetStream(streamId);
      return withoutStream(await this.decideAndAppend(streamId, decider, command, options));
    }
    const kept = options.loaded || options.expectedVersion !== undefined ? null : await this.decideOnKeptStream(streamId, decider, command);
    if (kept) return kept;
    const decided = await this.decideAndAppend(streamId, decider, command, options);
    this.store.rememberStream(streamId, decided.stream);
    return withoutStream(decided);
  }

  /** Starts new streams, each with what `decider` decides on its initial state, in one write (bulk commands). */
  async startStreams<TCommand, TState, TEvent extends DomainEvent>(
    decider: Decider<TCommand, TState, TEvent>,
    starts: { streamId: string; command: TCommand }[],
  ): Promise<StreamChange[]> {
    const streams = starts.map(({ streamId, command }) => ({ streamId, events: decider.decide(command, decider.initialState()) }));
    const appended = await this.store.appendToNewStreams(streams, { metadata: this.metadata, client: this.tx });
    return appended.map(toChange);
  }

  /** A stream's state, read in the command's transaction. */
  load<TState, TEvent extends DomainEvent>(
    streamId: string,
    decider: Pick<Decider<unknown, TState, TEvent>, 'initialState' | 'evolve'>,
  ): Promise<Aggregate<TState, TEvent>> {
    return loadAggregate(this.store, streamId, decider, this.transaction);
  }

  /**
   * Decides on the stream as this process kept it, without reading it. Only an append proves the kept
   * events current (it expects their version), so the answer stands only if the command appends and the
   * append succeeds; anything else (a refusal, nothing to do, a newer version) is left to a fresh read.
   */
  private async decideOnKeptStream<TCommand, TState, TEvent extends DomainEvent>(
    streamId: string,
    decider: Decider<TCommand, TState, TEvent>,
    command: TCommand,
  ): Promise<StreamChange | null> {
    const kept = this.store.cachedStream(streamId);
    if (!kept) return null;
    try {
      const decided = await this.decideAndAppend(streamId, decider, command, { loaded: kept });
      if (decided.events.length === 0) return null; // nothing to do, on what was kept: not proven
      this.store.rememberStream(streamId, decided.stream);
      return withoutStream(decided);
    } catch (err) {
      if (err instanceof ConcurrencyError || err instanceof DomainError) {
        this.store.forgetStream(streamId);
        return null;
      }
      throw err;
    }
  }

  /** Decides on the stream (read, or as loaded) and appends what the decision says. */
  private async decideAndAppend<TCommand, TState, TEvent extends DomainEvent>(
    streamId: string,
    decider: Decider<TCommand, TState, TEvent>,
    command: TCommand,
    options: DecideOptions,
  ): Promise<Decided> {
    // Events the caller or the cache hold were read from this very stream: they are its events.
    const loaded = (options.loaded as StoredEvent<TEvent>[] | undefined) ?? (await this.store.readStream<TEvent>(streamId, 1, this.transaction));
    const { state, version, position } = foldStream(decider, loaded);
    if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
      throw new PreconditionFailedError(streamId, options.expectedVersion, version);
    }
    const events = decider.decide(command, state);
    if (events.length === 0) return { streamId, version, position, events: [], stream: loaded };
    const appended = await this.store.append(
      streamId,
      events.map((event) => ({ type: event.type, data: event.data })),
      { expectedVersion: version, metadata: this.metadata, client: this.transaction },
    );
    return { ...toChange(appended), stream: [...loaded, ...appended.events] };
  }
}

function toChange(appended: AppendResult): StreamChange {
  const { streamId, version, position, events } = appended;
  return { streamId, version, position, events: events.map(({ id, type, version: v, position: p, data }) => ({ id, type, version: v, position: p, data })) };
}

function withoutStream({ stream: _stream, ...change }: Decided): StreamChange {
  return change;
}
