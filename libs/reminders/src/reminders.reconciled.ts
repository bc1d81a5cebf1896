import { Injectable } from '@nestjs/common';
import type { DueJob, ReconciledJobs } from '@passerelle/platform';
import type { DueReminder } from './reminder-source';
import { ReminderEngine } from './reminder-engine';

type DueReminderJob = DueJob & { reminder: DueReminder };

/**
 * Every reminder due (the engine's findDue, every kind) must have its job in Redis under its
 * reminderId: one Redis lost after the sweep queued it is queued again within a reconcile pass
 * rather than at the next sweep. The job re-checks and the ledger keeps it from sending twice.
 */
@Injectable()
export class RemindersReconciled implements ReconciledJobs {
  readonly kind = 'reminder';

  constructor(private readonly engine: ReminderEngine) {}

  get queue() {
    return this.engine.queue;
  }

  async findDue(): Promise<DueReminderJob[]> {
    return (await this.engine.findDue()).map((reminder) => ({
      subjectId: reminder.subjectId,
      jobId: reminder.reminderId,
      since: new Date(`${reminder.dueOn}T00:00:00Z`),
      reminder,
    }));
  }

  async enqueue(missing: DueReminderJob[]): Promise<void> {
    await this.engine.enqueue(missing.map((job) => job.reminder));
  }
}
