export * from './domain/ministry.events';
export * from './domain/ministry.commands';
export { ministryDecider } from './domain/ministry.decider';
export type { MinistryState } from './domain/ministry.decider';
export { SetMinistryContact, ministryStream } from './application/set-ministry-contact';
export { MinistryQueries } from './infrastructure/ministry.queries';
export { MinistryReadModelProjection, MINISTRY_READ_MODEL } from './infrastructure/ministry-read-model.projection';
export { ReportingModule } from './reporting.module';
