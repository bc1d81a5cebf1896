import type { Decider } from './decider';
import { fold } from './decider';

type Event = { type: 'Opened'; data: { at: string } } | { type: 'Closed'; data: { at: string } };
type State = { status: 'none' | 'open' | 'closed'; changes: number };
const door: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'> = {
  initialState: () => ({ status: 'none', changes: 0 }),
  evolve: (state, event) => ({ status: event.type === 'Opened' ? 'open' : 'closed', changes: state.changes + 1 }),
};

describe('fold', () => {
  it('starts from the initial state and applies events in order', () => {
    expect(fold(door, [])).toEqual({ status: 'none', changes: 0 });
    const events: Event[] = [
      { type: 'Opened', data: { at: '2025-10-23' } },
      { type: 'Closed', data: { at: '2025-10-24' } },
    ];
    expect(fold(door, events)).toEqual({ status: 'closed', changes: 2 });
    // In the order given: the last event decides the status.
    expect(fold(door, [...events].reverse())).toEqual({ status: 'open', changes: 2 });
    expect(fold(door, events.slice(0, 1))).toEqual({ status: 'open', changes: 1 });
    // Each fold starts afresh from the initial state, not from an earlier fold's result.
    expect(fold(door, events)).toEqual({ status: 'closed', changes: 2 });
  });
});
