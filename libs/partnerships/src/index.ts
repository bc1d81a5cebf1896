export * from './domain/partnership.events';
export * from './domain/partnership.commands';
export { partnershipDecider, initialPartnershipState } from './domain/partnership.decider';
export type { PartnershipState } from './domain/partnership.decider';
