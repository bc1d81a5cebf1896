export * from './domain/partnership.events';
export * from './domain/partnership.commands';
export { partnershipDecider, initialPartnershipState } from './domain/partnership.decider';
export type { PartnershipState } from './domain/partnership.decider';
export { ChangePartnership, partnershipStream, partnershipIdOf, partnershipIdFor } from './application/change-partnership';
export { PartnershipQueries } from './infrastructure/partnership.queries';
export { PartnershipPastQueries } from './infrastructure/partnership-past.queries';
export type { PartnershipView } from './infrastructure/partnership.queries';
export { PartnershipReadModelProjection, PARTNERSHIP_READ_MODEL } from './infrastructure/partnership-read-model.projection';
export { PartnershipPolicy, PARTNERSHIP_POLICY } from './infrastructure/partnership-policy';
export { PartnershipsModule } from './partnerships.module';
export { partnershipPersonalData } from './domain/partnership.personal-data';
export { addMonths, isCalendarDate, utcDate } from './domain/partnership.terms';
export type { CalendarDate } from './domain/partnership.terms';
export { PartnershipExpiry } from './application/partnership-expiry';
export type { PartnershipExpiryPass } from './application/partnership-expiry';
export {
  DUE_PARTNERSHIP_END_REMINDERS_SQL,
  END_REMINDER_DAYS,
  PARTNERSHIP_END_REMINDER,
  PartnershipEndReminderSource,
  partnershipEndReminderId,
} from './infrastructure/partnership-end-reminder.source';
