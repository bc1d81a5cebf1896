export * from './domain/workshop.events';
export * from './domain/workshop.commands';
export { workshopDecider, initialWorkshopState } from './domain/workshop.decider';
export type { WorkshopState } from './domain/workshop.decider';
export { ChangeWorkshop, workshopIdOf, workshopStream } from './application/change-workshop.command';
export { WorkshopQueries } from './infrastructure/workshop.queries';
export type { WorkshopSummary, WorkshopDetail } from './infrastructure/workshop.queries';
export { WorkshopReadModelProjection, WORKSHOP_READ_MODEL } from './infrastructure/workshop-read-model.projection';
export { WorkshopsModule } from './workshops.module';
