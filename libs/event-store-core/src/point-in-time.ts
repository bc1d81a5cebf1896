import type { StoredEventRecord } from './types';

/** A moment of a stream's past: a time, or the version the stream had reached. */
export type PointInTime = { asOf: Date } | { version: number };

/**
 * The events of one stream, read in order, as far as they had come at `point`: those recorded at or before
 * the time, or the first `version` of them. Empty when the stream had no event then, and for a version the
 * stream has not reached: a version beyond the stream's is not a state it was ever in.
 */
export function eventsAt<E extends StoredEventRecord>(events: readonly E[], point: PointInTime): E[] {
  if ('version' in point) return point.version >= 1 && point.version <= events.length ? events.slice(0, point.version) : [];
  const until = point.asOf.getTime();
  const end = events.findIndex((event) => event.recordedAt.getTime() > until);
  return end === -1 ? [...events] : events.slice(0, end);
}
