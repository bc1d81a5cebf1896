export * from './domain/call.events';
export * from './domain/call.commands';
export { callDecider, initialCallState, callStatusAt } from './domain/call.decider';
export type { CallState, RecordedCall } from './domain/call.decider';
export { callPersonalData } from './domain/call.personal-data';
export { ChangeCall, callStream, callIdOf } from './application/change-call';
export { CallTerms, type CallTermsView } from './application/call-terms';
export { CallClosing, type CallClosingOutcome, type CallClosingPass } from './application/call-closing';
export { CallQueries, type CallView } from './infrastructure/call.queries';
export { CallReadModelProjection, CALL_READ_MODEL } from './infrastructure/call-read-model.projection';
export { CallClosingReactor, CALL_CLOSING_REACTOR } from './infrastructure/call-closing.reactor';
export { CallClosingReconciled } from './infrastructure/call-closing.reconciled';
export { CALL_CLOSING_QUEUE, callClosingJob, callClosingJobId, type CallClosingJob } from './infrastructure/call-closing.queue';
export { CallsModule } from './calls.module';
export {
  CallDeadlineReminderSource,
  CALL_DEADLINE_REMINDER,
  callDeadlineReminderId,
  DEADLINE_REMINDER_DAYS,
  DUE_CALL_DEADLINE_REMINDERS_SQL,
} from './infrastructure/call-deadline-reminder.source';
