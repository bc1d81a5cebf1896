import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, type ReconciledScheduler } from '@passerelle/platform';
import { ReminderEngine, REMINDER_SWEEP_SCHEDULER, REMINDER_SWEEPS_QUEUE } from '@passerelle/reminders';

/**
 * Every REMINDER_CHECK_INTERVAL_SECONDS, an hour by default (a BullMQ job scheduler, so one run per
 * interval however many workers run), sweeps every reminder source (invitations, partnership ends, ...)
 * and queues each due reminder once under its reminderId on the reminders queue. A reminder job Redis
 * loses before it is sent is queued again by the reconciler (RemindersReconciled), not left to the next run.
 */
@Processor(REMINDER_SWEEPS_QUEUE)
export class ReminderSweepsProcessor extends WorkerHost implements OnModuleInit, ReconciledScheduler {
  readonly kind = 'reminder-sweeps-scheduler';

  constructor(
    @InjectQueue(REMINDER_SWEEPS_QUEUE) private readonly schedule: Queue,
    private readonly engine: ReminderEngine,
    private readonly config: AppConfig,
  ) {
    super();
  }

  // Before any application bootstrap, so the reconciler's first pass finds the scheduler in place.
  async onModuleInit(): Promise<void> {
    await this.upsertScheduler();
  }

  /** Re-creates the scheduler if Redis lost it (the reconciler asks on each pass); true if it was missing. */
  async ensure(): Promise<boolean> {
    if (await this.schedule.getJobScheduler(REMINDER_SWEEP_SCHEDULER)) return false;
    await this.upsertScheduler();
    return true;
  }

  private async upsertScheduler(): Promise<void> {
    await this.schedule.upsertJobScheduler(REMINDER_SWEEP_SCHEDULER, { every: this.config.REMINDER_CHECK_INTERVAL_SECONDS * 1000 }, { name: REMINDER_SWEEP_SCHEDULER });
  }

  /** One sweep: the reminders found due, by kind (the job's return value). */
  process(): Promise<Record<string, number>> {
    return this.engine.sweep();
  }
}
