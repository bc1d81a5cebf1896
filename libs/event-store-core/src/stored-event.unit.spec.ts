import { type Decider, fold } from './decider';
import type { StoredEvent, StoredEventRecord } from './types';

type LightEvent = { type: 'SwitchedOn'; data: { by: string } } | { type: 'Dimmed'; data: { level: number } };

const record: StoredEventRecord = {
  id: 'e1',
  streamId: 'light-1',
  category: 'light',
  version: 1,
  position: 65536,
  schemaVersion: 1,
  metadata: { actor: null, correlationId: 'c', causationId: null },
  recordedAt: new Date(0),
};

/** What a reader does with a typed event: a switch on its type narrows its data (checked by the compiler). */
function describe_(event: StoredEvent<LightEvent>): string {
  switch (event.type) {
    case 'SwitchedOn':
      return `on by ${event.data.by}`;
    case 'Dimmed':
      return `dimmed to ${event.data.level}`;
  }
}

describe('StoredEvent<E>', () => {
  const events: StoredEvent<LightEvent>[] = [
    { ...record, type: 'SwitchedOn', data: { by: 'Ana' } },
    { ...record, version: 2, type: 'Dimmed', data: { level: 30 } },
  ];

  it('narrows data by type', () => {
    expect(events.map(describe_)).toEqual(['on by Ana', 'dimmed to 30']);
  });

  it('folds as the events it carries, with no cast', () => {
    const light: Pick<Decider<unknown, { on: boolean; level: number }, LightEvent>, 'initialState' | 'evolve'> = {
      initialState: () => ({ on: false, level: 100 }),
      evolve: (state, event) => (event.type === 'SwitchedOn' ? { ...state, on: true } : { ...state, level: event.data.level }),
    };
    expect(fold(light, events)).toEqual({ on: true, level: 30 });
  });
});
