export * from './domain/workshop.events';
export * from './domain/workshop.commands';
export { workshopDecider, initialWorkshopState } from './domain/workshop.decider';
export type { WorkshopState } from './domain/workshop.decider';
