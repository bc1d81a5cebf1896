import { eventJobOptions } from '@passerelle/platform';
import type { DueReminder } from './reminder-source';

/** The reminder jobs of every kind, processed by one processor. */
export const REMINDERS_QUEUE = 'reminders';
/**
 * The queue of the job scheduler `find-due-reminders`, whose runs sweep every source. Its name is the one
 * it had when only invitations had reminders: the scheduler already in Redis is the one reused.
 */
export const REMINDER_SWEEPS_QUEUE = 'invitation-reminders';
export const REMINDER_SWEEP_SCHEDULER = 'find-due-reminders';

/**
 * The job of one reminder, as the sweep queues it and the reconciler queues it again: built here alone,
 * so both use the same name, data and id. Kept 90 days once done, so a reminder the read models still
 * show as due for a while (a lagging projection) is not queued again meanwhile.
 */
export function reminderJob(config: { MAIL_ATTEMPTS: number; MAIL_RETRY_DELAY_MS: number }, reminder: DueReminder) {
  return { name: reminder.kind, data: reminder, opts: eventJobOptions(config, reminder.reminderId, 90) };
}

/** The mail ledger key of one reminder's e-mail to one recipient: its template (the ledger's kind), the reminder and the recipient. */
export const reminderLedgerKey = (template: string, reminderId: string, recipientId: string) => `${template}:${reminderId}:${recipientId}`;
