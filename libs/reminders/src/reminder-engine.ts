import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { MailTemplates, OnceMailer, RECIPIENT_ERASED, withoutAddresses } from '@passerelle/mail';
import { AppConfig, Clock, PROCESS_LOGGER } from '@passerelle/platform';
import { type DueReminder, type ReminderDelivery, REMINDER_SOURCES, type ReminderSource } from './reminder-source';
import { REMINDERS_QUEUE, reminderJob, reminderLedgerKey } from './reminders.queue';

/** What running one reminder job came to (the job's return value). */
export type ReminderOutcome = 'sent' | 'no longer due' | 'no recipient' | 'unknown kind';

/**
 * The one reminder mechanism: a sweep asks every source for its due reminders (read models, indexed)
 * and queues one job each under its reminderId; a job re-checks its reminder (stillDue, at the Clock's
 * time), sends each of its e-mails through OnceMailer under a key per reminder and recipient, and has
 * the source record it (an event). Two workers, a job run twice, a sweep racing the reconciler: the
 * job id keeps one job per reminder, the ledger one e-mail per key.
 */
@Injectable()
export class ReminderEngine {
  private readonly logger: Logger;
  private readonly byKind: Map<string, ReminderSource>;

  constructor(
    @Inject(REMINDER_SOURCES) readonly sources: ReminderSource[],
    @InjectQueue(REMINDERS_QUEUE) readonly queue: Queue<DueReminder>,
    private readonly mailer: OnceMailer,
    private readonly templates: MailTemplates,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(PROCESS_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: 'Reminders' });
    this.byKind = new Map(sources.map((source) => [source.kind, source]));
  }

  /** Every source's due reminders at the Clock's time. */
  async findDue(): Promise<DueReminder[]> {
    const now = this.clock.now();
    const found = await Promise.all(this.sources.map((source) => source.findDue(now)));
    return found.flat();
  }

  /** Queues every due reminder (a job already there under its id is left as it is); how many were found, by kind. */
  async sweep(): Promise<Record<string, number>> {
    const due = await this.findDue();
    const counts: Record<string, number> = Object.fromEntries(this.sources.map((source) => [source.kind, 0]));
    for (const reminder of due) counts[reminder.kind] += 1;
    if (due.length > 0) {
      await this.enqueue(due);
      this.logger.info({ due: counts }, `Found ${due.length} reminders due`);
    }
    return counts;
  }

  async enqueue(reminders: DueReminder[]): Promise<void> {
    for (let start = 0; start < reminders.length; start += 1000) {
      await this.queue.addBulk(reminders.slice(start, start + 1000).map((reminder) => reminderJob(this.config, reminder)));
    }
  }

  /** Runs one reminder's job: nothing when it is no longer due; else its e-mails, each once, then its record. */
  async run(reminder: DueReminder): Promise<ReminderOutcome> {
    const source = this.byKind.get(reminder.kind);
    if (!source) return 'unknown kind';
    const now = this.clock.now();
    if (!(await source.stillDue(reminder, now))) return 'no longer due';
    const messages = await source.messages(reminder, now);
    const deliveries: ReminderDelivery[] = [];
    for (const message of messages) {
      const rendered = this.templates.render(message.template, message.language, message.values);
      const outcome = await this.mailer.send(reminderLedgerKey(message.template, reminder.reminderId, message.recipientId), {
        to: message.to,
        subjectId: message.subjectId,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        language: rendered.language,
        attachments: message.attachments,
      });
      if (outcome.status === 'rejected') {
        if (outcome.reason !== RECIPIENT_ERASED) this.logger.warn({ reminderId: reminder.reminderId, recipientId: message.recipientId }, `Reminder refused: ${withoutAddresses(outcome.reason)}`);
        deliveries.push({ recipientId: message.recipientId, status: 'rejected', reason: outcome.reason });
      } else {
        deliveries.push({ recipientId: message.recipientId, status: outcome.status, messageId: outcome.messageId });
      }
    }
    // Recorded even when every recipient refused it: the reminder was given its chance, the sweep moves on.
    await source.recordSent(reminder, deliveries, now);
    return deliveries.some((d) => d.status !== 'rejected') ? 'sent' : 'no recipient';
  }
}
