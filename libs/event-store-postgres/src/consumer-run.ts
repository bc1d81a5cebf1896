import type { Checkpoint } from './checkpoint';
import type { PostgresEventStore } from './event-store';
import type { ConsumerTransaction, EventConsumer, SubscriptionOptions } from './subscription.types';
import type { WakeSignal } from './wake-signal';

/** What a runner shares, while it holds the consumer's lock, with the parts that do its work. */
export interface ConsumerRun {
  readonly store: PostgresEventStore;
  readonly consumer: EventConsumer;
  readonly options: SubscriptionOptions;
  /** The runner's own connection: it holds the lock, reads, and runs the consumer's transactions. */
  readonly client: ConsumerTransaction;
  readonly checkpoint: Checkpoint;
  readonly signal: WakeSignal;
  /** The runner, whose `position` is the last position the consumer has dealt with. */
  readonly runner: { position: number; emit(event: string, ...args: unknown[]): boolean };
}

/** The consumer has dealt with everything up to `position`. */
export function advance(run: ConsumerRun, position: number): void {
  run.runner.position = position;
  run.runner.emit('progress', position);
}
