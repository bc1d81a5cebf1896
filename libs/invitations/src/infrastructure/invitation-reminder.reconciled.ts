import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, Clock, type DueJob, type ReconciledJobs } from '@passerelle/platform';
import { INVITATION_MAIL_QUEUE, type InvitationMailJob, reminderDay, reminderJobId, reminderMailJob } from './invitation-mail.queue';
import { InvitationQueries } from './invitation.queries';

interface DueReminderMail extends DueJob {
  today: string;
}

/**
 * Invitations due for their reminder today (unanswered, not reminded, their workshop near): each must
 * have the reminder job the reminders' scheduler queued (same id), so one Redis lost is queued again
 * within a pass rather than at the scheduler's next run, an hour later. The processor sends nothing to
 * an invitation answered or reminded since, and the mail ledger (one key per invitation's reminder)
 * nothing twice.
 */
@Injectable()
export class InvitationReminderReconciled implements ReconciledJobs {
  readonly kind = 'invitation-reminder';

  constructor(
    @InjectQueue(INVITATION_MAIL_QUEUE) readonly queue: Queue<InvitationMailJob>,
    private readonly invitations: InvitationQueries,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async findDue(): Promise<DueReminderMail[]> {
    const today = reminderDay(this.clock.now());
    const due = await this.invitations.dueForReminder(today, this.config.REMINDER_DAYS_BEFORE);
    return due.map(({ invitationId, dueOn }) => ({
      subjectId: invitationId,
      jobId: reminderJobId(invitationId),
      since: new Date(`${dueOn}T00:00:00Z`),
      today,
    }));
  }

  async enqueue(missing: DueReminderMail[]): Promise<void> {
    await this.queue.addBulk(missing.map((due) => reminderMailJob(this.config, due.subjectId, due.today)));
  }
}
