import type { DomainEvent } from './types';

/**
 * An aggregate as two pure functions over plain data (no I/O, no clock, no random ids):
 * `decide` turns a command and the current state into events, `evolve` folds an event into state.
 */
export interface Decider<TCommand, TState, TEvent extends DomainEvent> {
  initialState(): TState;
  decide(command: TCommand, state: TState): TEvent[];
  evolve(state: TState, event: TEvent): TState;
}

export function fold<TState, TEvent extends DomainEvent>(
  decider: Pick<Decider<unknown, TState, TEvent>, 'initialState' | 'evolve'>,
  events: readonly TEvent[],
): TState {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
