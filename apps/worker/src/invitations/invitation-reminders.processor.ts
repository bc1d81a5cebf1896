import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, Clock, type ReconciledScheduler } from '@passerelle/platform';
import {
  INVITATION_MAIL_QUEUE,
  INVITATION_REMINDERS_QUEUE,
  type InvitationMailJob,
  InvitationQueries,
  reminderDay,
  reminderMailJob,
} from '@passerelle/invitations';

const SCHEDULER_ID = 'find-due-reminders';

/**
 * Every REMINDER_CHECK_INTERVAL_SECONDS, an hour by default (a BullMQ job scheduler, so one run per
 * interval however many workers run), finds the
 * invitations still unanswered REMINDER_DAYS_BEFORE days before their workshop and queues one reminder
 * each. The job id is the invitation's, and the mail ledger keys reminders by invitation: one reminder at most.
 * A reminder job Redis loses before it is sent is queued again by the reconciler, not left to the next run.
 */
@Processor(INVITATION_REMINDERS_QUEUE)
export class InvitationRemindersProcessor extends WorkerHost implements OnModuleInit, ReconciledScheduler {
  readonly kind = 'invitation-reminders-scheduler';
  private readonly logger = new Logger('InvitationReminders');

  constructor(
    @InjectQueue(INVITATION_REMINDERS_QUEUE) private readonly schedule: Queue,
    @InjectQueue(INVITATION_MAIL_QUEUE) private readonly mail: Queue<InvitationMailJob>,
    private readonly invitations: InvitationQueries,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  // Before any application bootstrap, so the reconciler's first pass finds the scheduler in place.
  async onModuleInit(): Promise<void> {
    await this.upsertScheduler();
  }

  /** Re-creates the scheduler if Redis lost it (the reconciler asks on each pass); true if it was missing. */
  async ensure(): Promise<boolean> {
    if (await this.schedule.getJobScheduler(SCHEDULER_ID)) return false;
    await this.upsertScheduler();
    return true;
  }

  private async upsertScheduler(): Promise<void> {
    await this.schedule.upsertJobScheduler(SCHEDULER_ID, { every: this.config.REMINDER_CHECK_INTERVAL_SECONDS * 1000 }, { name: SCHEDULER_ID });
  }

  process(): Promise<number> {
    return this.queueDueReminders(reminderDay(this.clock.now()));
  }

  /** Queues the reminders due on `today` (YYYY-MM-DD); returns how many. */
  async queueDueReminders(today: string): Promise<number> {
    const due = await this.invitations.dueForReminder(today, this.config.REMINDER_DAYS_BEFORE);
    if (due.length === 0) return 0;
    // The same job the reconciler queues again if Redis loses it (InvitationReminderReconciled).
    await this.mail.addBulk(due.map(({ invitationId }) => reminderMailJob(this.config, invitationId, today)));
    this.logger.log(`Queued ${due.length} reminders`);
    return due.length;
  }
}
