export { REMINDER_SOURCES, reminderDay } from './reminder-source';
export type { DueReminder, ReminderDelivery, ReminderMessage, ReminderSource } from './reminder-source';
export { REMINDER_SWEEP_SCHEDULER, REMINDER_SWEEPS_QUEUE, REMINDERS_QUEUE, reminderJob, reminderLedgerKey } from './reminders.queue';
export { ReminderEngine, type ReminderOutcome } from './reminder-engine';
export { RemindersReconciled } from './reminders.reconciled';
export { ReminderQueuesModule, RemindersModule } from './reminders.module';
