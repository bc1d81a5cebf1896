import type { StoredEvent } from '@passerelle/event-store-core';

/** Longer streams are not kept: reading them is what a cache would save, but they would fill it. */
const CACHED_STREAM_MAX_EVENTS = 100;

/**
 * Streams' events as this process last commanded them, least recently used first, at most `size`
 * streams (0: none). See `EventStoreOptions.streamCacheSize`.
 */
export class StreamCache {
  private readonly streams = new Map<string, StoredEvent[]>();

  constructor(private readonly size: number) {}

  get(streamId: string): StoredEvent[] | undefined {
    const events = this.streams.get(streamId);
    if (events) {
      this.streams.delete(streamId);
      this.streams.set(streamId, events);
    }
    return events;
  }

  /** Keeps a stream's events, all of them up to its current version, as just committed. */
  remember(streamId: string, events: StoredEvent[]): void {
    this.streams.delete(streamId);
    if (this.size === 0 || events.length === 0 || events.length > CACHED_STREAM_MAX_EVENTS) return;
    this.streams.set(streamId, events);
    if (this.streams.size > this.size) this.streams.delete(this.streams.keys().next().value!);
  }

  forget(streamId: string): void {
    this.streams.delete(streamId);
  }

  clear(): void {
    this.streams.clear();
  }
}
