import { eventsAt } from './point-in-time';
import type { StoredEventRecord } from './types';

const at = (iso: string) => new Date(iso);
const stream = [
  { version: 1, recordedAt: at('2030-01-01T10:00:00.000Z') },
  { version: 2, recordedAt: at('2030-01-01T11:00:00.000Z') },
  { version: 3, recordedAt: at('2030-01-01T11:00:00.000Z') },
  { version: 4, recordedAt: at('2030-01-02T09:00:00.000Z') },
] as unknown as StoredEventRecord[];
const versions = (events: { version: number }[]) => events.map((e) => e.version);

describe('a stream at a point in its past', () => {
  it('keeps the first n events for version n, and none for 0 or a version not reached', () => {
    expect(versions(eventsAt(stream, { version: 2 }))).toEqual([1, 2]);
    expect(versions(eventsAt(stream, { version: 4 }))).toEqual([1, 2, 3, 4]);
    expect(eventsAt(stream, { version: 0 })).toEqual([]);
    expect(eventsAt(stream, { version: 5 })).toEqual([]);
  });

  it('keeps the events recorded at or before a time, those of one instant together', () => {
    expect(eventsAt(stream, { asOf: at('2030-01-01T09:59:59.999Z') })).toEqual([]);
    expect(versions(eventsAt(stream, { asOf: at('2030-01-01T10:00:00.000Z') }))).toEqual([1]);
    expect(versions(eventsAt(stream, { asOf: at('2030-01-01T11:00:00.000Z') }))).toEqual([1, 2, 3]);
    expect(versions(eventsAt(stream, { asOf: at('2031-01-01T00:00:00.000Z') }))).toEqual([1, 2, 3, 4]);
  });
});
