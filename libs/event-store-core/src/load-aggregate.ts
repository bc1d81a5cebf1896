import { type Decider, fold } from './decider';
import type { EventStore } from './store';
import type { DomainEvent, StoredEvent } from './types';

export interface Aggregate<TState, TEvent extends DomainEvent> {
  state: TState;
  version: number;
  position: number;
  events: StoredEvent<TEvent>[];
}

/** The stream's events, its state folded from them, and its version: the one way to fold a stream. */
export async function loadAggregate<Tx, TState, TEvent extends DomainEvent>(
  store: EventStore<Tx>,
  streamId: string,
  decider: Pick<Decider<unknown, TState, TEvent>, 'initialState' | 'evolve'>,
  tx?: Tx,
): Promise<Aggregate<TState, TEvent>> {
  return foldStream(decider, await store.readStream<TEvent>(streamId, 1, tx));
}

/** The state and version of a stream's events as already read. */
export function foldStream<TState, TEvent extends DomainEvent>(
  decider: Pick<Decider<unknown, TState, TEvent>, 'initialState' | 'evolve'>,
  events: StoredEvent<TEvent>[],
): Aggregate<TState, TEvent> {
  const last = events[events.length - 1];
  return { state: fold(decider, events), version: last?.version ?? 0, position: last?.position ?? 0, events };
}
