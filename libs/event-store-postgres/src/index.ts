export { PostgresEventStore, categoryOf, toPosition } from './event-store';
export type { EventStoreOptions, AppendOptions, Queryable } from './event-store';
export * from './subscription.types';
export { SubscriptionRunner } from './subscription-runner';
export { requestRebuild, requestReplay, listParked, readCheckpoints } from './subscription-admin';
export { MAX_EVENTS_PER_TRANSACTION, NOTIFY_CHANNEL, SAFE_BOUND_SQL } from './sql';
