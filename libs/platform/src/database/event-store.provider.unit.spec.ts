import type { StoredEvent } from '@passerelle/event-store-core';
import type { PostgresEventStore } from '@passerelle/event-store-postgres';
import { loadConfig } from '../config/app-config';
import { eventStoreProvider, EventStorePool } from './event-store.provider';

describe('eventStoreProvider', () => {
  const event = { id: 'e-1', type: 'ProposalDrafted', version: 1, position: 1 } as StoredEvent;

  /** Whether a store built from this configuration keeps a stream it was given (nothing connects to the database). */
  async function keeps(env: Record<string, string>): Promise<boolean> {
    const config = loadConfig(env);
    const pool = new EventStorePool(config);
    const store: PostgresEventStore = eventStoreProvider.useFactory(pool, config);
    try {
      store.rememberStream('proposal-1', [event]);
      return store.cachedStream('proposal-1') !== undefined;
    } finally {
      store.close();
      await pool.end();
    }
  }

  it('keeps commanded streams by default, and none with STREAM_CACHE_SIZE=0', async () => {
    expect(await keeps({})).toBe(true);
    expect(await keeps({ STREAM_CACHE_SIZE: '0' })).toBe(false);
  });
});
