/**
 * A reminder the read models say is due: what it reminds of, by ids and dates only (it travels as a
 * job's data). `reminderId` is its job id and, with the recipient, its mail ledger key: derived from
 * what it reminds of, its target date and milestone, so the same reminder always has the same id
 * (queued twice, it is one job; run twice, it is sent once) and a moved date makes a new one.
 */
export interface DueReminder {
  /** The source's kind: `invitation`, `partnership-end`, ... */
  kind: string;
  /** `reminder.<kind>.<what it reminds of>[.<target date>.<milestone>]`, without ':' (BullMQ refuses it in custom job ids). */
  reminderId: string;
  /** What it reminds of (an invitation's id, a partnership's id), for the logs. */
  subjectId: string;
  /** The day (UTC, YYYY-MM-DD) since when it is due. */
  dueOn: string;
  /** What the source needs to check and send it again: ids, dates and numbers, never a name or an address. */
  details: Record<string, string | number>;
}

/** One e-mail of a reminder: to whom, in which language, with which template (templates/<template>/<language>.json) and values. */
export interface ReminderMessage {
  /** Stable among the reminder's recipients (a user id, an invitation id): the ledger key's last part. */
  recipientId: string;
  to: string;
  /** The recipient's data subject, when the source knows it. */
  subjectId?: string;
  language: string;
  template: string;
  values: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** What sending one message came to. */
export interface ReminderDelivery {
  recipientId: string;
  status: 'sent' | 'already-sent' | 'rejected';
  messageId?: string;
  reason?: string;
}

/**
 * One kind of reminder. It lives in its own context (invitations, partnerships, calls) and is registered
 * with the engine (RemindersModule.forSources): the engine finds, queues, re-checks, sends and records
 * every kind the same way, and knows nothing of any.
 */
export interface ReminderSource {
  readonly kind: string;
  /** The reminders due at `now` (ms since the epoch, the app's Clock), from the read models by an indexed query; none already recorded as sent. */
  findDue(now: number): Promise<DueReminder[]>;
  /** Whether `reminder` is still due at `now`, from the read models: false once what it reminds of was done, or its date moved. */
  stillDue(reminder: DueReminder, now: number): Promise<boolean>;
  /** Its e-mails at `now`, one per recipient (none when no one is left to write to). */
  messages(reminder: DueReminder, now: number): Promise<ReminderMessage[]>;
  /** Records it as sent through the command path (an event), so that findDue no longer finds it. */
  recordSent(reminder: DueReminder, deliveries: ReminderDelivery[], now: number): Promise<void>;
}

/** The token under which the sources are given to the engine (one provider holding them all). */
export const REMINDER_SOURCES = Symbol('REMINDER_SOURCES');

/** The UTC calendar day of `now` (ms since the epoch). */
export const reminderDay = (now: number): string => new Date(now).toISOString().slice(0, 10);
