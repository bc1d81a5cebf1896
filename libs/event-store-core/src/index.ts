export * from './types';
export * from './errors';
export * from './upcasters';
export * from './fingerprint';
export * from './decider';
export type { EventStore } from './store';
export { handleCommand, loadAggregate, executeInTransaction, decideOn } from './command-handling';
export type { CommandOptions, CommandResult } from './command-handling';
