export { PostgresEventStore } from './event-store';
export type { EventStoreOptions } from './event-store';
export type { AppendOptions } from './appends';
export { categoryOf, toPosition } from './event-rows';
export type { Queryable } from './event-rows';
export * from './subscription.types';
export { SubscriptionRunner } from './subscription-runner';
export { requestRebuild, requestReplay, listParked, readCheckpoints } from './subscription-admin';
export { MAX_EVENTS_PER_TRANSACTION, NOTIFY_CHANNEL, SAFE_BOUND_SQL } from './sql';
