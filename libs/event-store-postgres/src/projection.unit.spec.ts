import type { StoredEvent, StoredEventRecord } from '@passerelle/event-store-core';
import { defineProjection, type ProjectionDefinition } from './projection';
import type { ConsumerTransaction } from './subscription.types';

type ParcelEvent =
  | { type: 'ParcelSent'; data: { parcelId: string; weightGrams: number } }
  | { type: 'ParcelDelivered'; data: { parcelId: string; signedBy: string } }
  | { type: 'ParcelLost'; data: { parcelId: string } };

const record: Omit<StoredEventRecord, 'position'> = {
  id: 'e',
  streamId: 'parcel-1',
  category: 'parcel',
  version: 1,
  schemaVersion: 1,
  metadata: { actor: null, correlationId: 'c', causationId: null },
  recordedAt: new Date(0),
};
let position = 0;
const stored = (type: string, data: object): StoredEvent => ({ ...record, position: (position += 1), type, data });
/** The handlers below record what they are given and never touch the transaction. */
const tx = {} as ConsumerTransaction;

describe('defineProjection: exhaustive handlers, checked by the compiler', () => {
  it('refuses a definition that forgets an event type of its union', () => {
    const incomplete: ProjectionDefinition<ParcelEvent> = {
      name: 'incomplete',
      categories: ['parcel'],
      // @ts-expect-error Property 'ParcelLost' is missing: a new event type fails every consumer that does not handle it.
      handlers: {
        ParcelSent: async () => undefined,
        ParcelDelivered: async () => undefined,
      },
    };
    expect(incomplete.name).toBe('incomplete');
  });

  it('refuses a handler for a type that is not in the union, and a definition without categories', () => {
    defineProjection<ParcelEvent>({
      name: 'misspelt',
      categories: ['parcel'],
      handlers: {
        ParcelSent: null,
        ParcelDelivered: null,
        ParcelLost: null,
        // @ts-expect-error 'ParcelReturned' is not a ParcelEvent type.
        ParcelReturned: null,
      },
    });
    // @ts-expect-error A consumer names the categories it reads: at least one.
    defineProjection<ParcelEvent>({ name: 'everything', categories: [], handlers: { ParcelSent: null, ParcelDelivered: null, ParcelLost: null } });
  });

  it('gives each handler its own type of event, its data narrowed without a cast', async () => {
    const seen: string[] = [];
    const consumer = defineProjection<ParcelEvent>({
      name: 'typed',
      categories: ['parcel'],
      handlers: {
        ParcelSent: async (event) => void seen.push(`sent ${event.data.weightGrams} g`),
        ParcelDelivered: async (event) => void seen.push(`signed by ${event.data.signedBy}`),
        ParcelLost: async (event) => {
          // @ts-expect-error A lost parcel has no signature.
          seen.push(`lost ${event.data.signedBy}`);
        },
      },
    });
    await consumer.handle([stored('ParcelSent', { parcelId: 'p', weightGrams: 300 }), stored('ParcelDelivered', { parcelId: 'p', signedBy: 'Ana' })], tx);
    expect(seen).toEqual(['sent 300 g', 'signed by Ana']);
  });
});

describe('defineProjection: what reaches the handlers', () => {
  function recording(runHandlers = false) {
    const calls: string[] = [];
    const consumer = defineProjection<ParcelEvent>({
      name: 'recording',
      categories: ['parcel'],
      handlers: {
        ParcelSent: async (event) => void calls.push(`sent@${event.position}`),
        ParcelDelivered: async (event) => void calls.push(`delivered@${event.position}`),
        ParcelLost: null,
      },
      runHandlers: runHandlers ? { ParcelSent: async (events) => void calls.push(`sent run@${events.map((e) => e.position).join(',')}`) } : undefined,
    });
    return { consumer, calls };
  }

  it('leaves out, through filter, the types handled with null and the types it does not know', () => {
    const { consumer } = recording();
    expect(consumer.filter(stored('ParcelSent', {}))).toBe(true);
    expect(consumer.filter(stored('ParcelLost', {}))).toBe(false);
    expect(consumer.filter(stored('ParcelWeighed', {}))).toBe(false);
    expect(consumer.filter(stored('toString', {}))).toBe(false);
    expect(consumer.filter(stored('constructor', {}))).toBe(false);
  });

  it('skips such events when they reach handle all the same, and applies the others in order', async () => {
    const { consumer, calls } = recording();
    position = 0;
    await consumer.handle(['ParcelSent', 'ParcelLost', 'toString', 'ParcelDelivered', 'ParcelSent'].map((type) => stored(type, {})), tx);
    expect(calls).toEqual(['sent@1', 'delivered@4', 'sent@5']);
  });

  it('hands runs of consecutive events of a type with a run handler over together, in order', async () => {
    const { consumer, calls } = recording(true);
    position = 0;
    const types = ['ParcelSent', 'ParcelSent', 'ParcelSent', 'ParcelDelivered', 'ParcelSent', 'ParcelDelivered', 'ParcelSent', 'ParcelSent'];
    await consumer.handle(types.map((type) => stored(type, {})), tx);
    expect(calls).toEqual(['sent run@1,2,3', 'delivered@4', 'sent run@5', 'delivered@6', 'sent run@7,8']);
  });

  it('passes the consumer settings through, reset only when given', () => {
    const reset = async () => undefined;
    const handlers = { ParcelSent: null, ParcelDelivered: null, ParcelLost: null };
    const withReset = defineProjection<ParcelEvent>({ name: 'a', categories: ['parcel', 'depot'], batchSize: 7, onError: 'stop', handlers, reset });
    expect(withReset).toMatchObject({ name: 'a', categories: ['parcel', 'depot'], batchSize: 7, onError: 'stop', reset });
    expect(defineProjection<ParcelEvent>({ name: 'b', categories: ['parcel'], handlers }).reset).toBeUndefined();
  });
});
