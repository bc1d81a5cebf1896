import type { DomainEvent, StoredEvent } from '@passerelle/event-store-core';
import type { ConsumerTransaction, EventConsumer } from './subscription.types';

/** The stored event of type `K` in the union `E`: its `data` is that type's. */
export type StoredEventOf<E extends DomainEvent, K extends E['type']> = StoredEvent<Extract<E, { type: K }>>;

/** Applies one event, in the transaction that also moves the checkpoint. */
export type EventHandler<E extends DomainEvent, K extends E['type']> = (event: StoredEventOf<E, K>, tx: ConsumerTransaction) => Promise<void>;

/** Applies a run of consecutive events of one type at once (in their order). */
export type RunHandler<E extends DomainEvent, K extends E['type']> = (events: StoredEventOf<E, K>[], tx: ConsumerTransaction) => Promise<void>;

/**
 * One entry per event type of the union, checked by the compiler: a type added to the union fails the
 * type check of every consumer that does not say what it does with it. `null` says "deliberately
 * nothing": such events never reach the consumer (the checkpoint moves past them all the same).
 */
export type ProjectionHandlers<E extends DomainEvent> = { [K in E['type']]: EventHandler<E, K> | null };

export type RunHandlers<E extends DomainEvent> = { [K in E['type']]?: RunHandler<E, K> };

export interface ProjectionDefinition<E extends DomainEvent> {
  /** Unique and stable: the checkpoint and the lock are kept under this name. */
  readonly name: string;
  /** The stream categories whose events carry `E`: the only ones read (filtered in the database). */
  readonly categories: readonly [string, ...string[]];
  readonly handlers: ProjectionHandlers<E>;
  /**
   * Performance option, off unless given: consecutive events of a type listed here go to its run
   * handler together (one SQL statement for a bulk of invitations instead of one per event), in place
   * of the type's handler in `handlers`. The result must be the same as with `handlers` alone, so
   * removing the option changes only the speed: it stays while `npm run bench:invitations` shows it
   * pays (10% or more).
   */
  readonly runHandlers?: RunHandlers<E>;
  /** Events per transaction; 500 unless said. */
  readonly batchSize?: number;
  /** `park` (the default) or `stop`, as for any EventConsumer. */
  readonly onError?: 'park' | 'stop';
  /** Empty the read model, for a rebuild from position 0. Without it, the consumer cannot be rebuilt. */
  readonly reset?: (tx: ConsumerTransaction) => Promise<void>;
}

/**
 * An EventConsumer made of one handler per event type of `E`. Events of a type it does not know (another
 * context's, in the same category) or handles with `null` are left out, so the checkpoint moves past
 * them without a transaction. A Nest provider extends it and passes its definition to `super`, with
 * its dependencies in scope.
 */
export class TypedConsumer<E extends DomainEvent> implements EventConsumer {
  readonly name: string;
  readonly categories: readonly string[];
  readonly batchSize?: number;
  readonly onError?: 'park' | 'stop';
  readonly reset?: (tx: ConsumerTransaction) => Promise<void>;
  private readonly handlers: ProjectionHandlers<E>;
  private readonly runHandlers: RunHandlers<E>;

  constructor(definition: ProjectionDefinition<E>) {
    this.name = definition.name;
    this.categories = definition.categories;
    this.batchSize = definition.batchSize;
    this.onError = definition.onError;
    this.reset = definition.reset;
    this.handlers = definition.handlers;
    this.runHandlers = definition.runHandlers ?? {};
  }

  filter(event: StoredEvent): boolean {
    return this.handlerFor(event.type) !== null;
  }

  async handle(events: StoredEvent[], tx: ConsumerTransaction): Promise<void> {
    for (let i = 0; i < events.length; ) {
      const type = events[i].type;
      const run = own(this.runHandlers, type) as RunHandler<DomainEvent, string> | undefined;
      if (run) {
        let end = i + 1;
        while (end < events.length && events[end].type === type) end += 1;
        await run(events.slice(i, end), tx);
        i = end;
        continue;
      }
      await this.handlerFor(type)?.(events[i], tx);
      i += 1;
    }
  }

  /** The type's handler; null for a type handled with `null` or not in the union. */
  private handlerFor(type: string): EventHandler<DomainEvent, string> | null {
    return (own(this.handlers, type) as EventHandler<DomainEvent, string> | null | undefined) ?? null;
  }
}

/** The value under `key` only if the record itself holds it: an event type named `toString` finds nothing. */
function own(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

/**
 * A consumer with one handler per event type of `E`, the union it declares, e.g.
 * `defineProjection<InvitationEvent>({ name, categories: ['invitation'], handlers: { InvitationIssued: async (event, tx) => ..., ... } })`.
 */
export function defineProjection<E extends DomainEvent>(definition: ProjectionDefinition<E>): TypedConsumer<E> {
  return new TypedConsumer(definition);
}
