export * from './domain/partner-institution.events';
export * from './domain/partner-institution.commands';
export { partnerInstitutionDecider, initialPartnerInstitutionState } from './domain/partner-institution.decider';
export type { PartnerInstitutionState } from './domain/partner-institution.decider';
