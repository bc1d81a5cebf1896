import type { StoredEvent } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { Stack } from './stack';

/**
 * Every stored event of these types, read through the API's event store: personal fields opened (in
 * clear, or "[erased]"), as the product reads them. A plain SQL read sees them sealed. Read stream by
 * stream: `readAll` stops below the server's oldest transaction in flight, which other test files move.
 */
export async function openedEvents(stack: Pick<Stack, 'api'>, types: string[]): Promise<StoredEvent[]> {
  const store = stack.api.get(PostgresEventStore);
  const { rows } = await store.pool.query<{ stream_id: string }>('SELECT DISTINCT stream_id FROM events WHERE type = ANY($1::text[])', [types]);
  const found: StoredEvent[] = [];
  for (const { stream_id } of rows) found.push(...(await store.readStream(stream_id)).filter((event) => types.includes(event.type)));
  return found.sort((a, b) => a.position - b.position);
}
