import type { StoredEvent } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { Stack } from './stack';

/**
 * Every stored event of these types, read through the API's event store: personal fields opened (in
 * clear, or "[erased]"), as the product reads them. A plain SQL read sees them sealed.
 */
export async function openedEvents(stack: Pick<Stack, 'api'>, types: string[]): Promise<StoredEvent[]> {
  const store = stack.api.get(PostgresEventStore);
  const found: StoredEvent[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAll(after, 1000);
    found.push(...page.filter((event) => types.includes(event.type)));
    if (page.length < 1000) return found;
    after = page[page.length - 1].position;
  }
}
