import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '@passerelle/platform';
import { type DueReminder, ReminderEngine, type ReminderOutcome, REMINDERS_QUEUE } from '@passerelle/reminders';

/** Runs every reminder job, whatever its kind, through the engine: re-checked, sent once per recipient, recorded. */
// A job's lock lapses 10 s after its worker dies; the stalled check every 5 s then hands it to another.
@Processor(REMINDERS_QUEUE, { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class RemindersProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly engine: ReminderEngine,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.MAIL_CONCURRENCY;
  }

  process(job: Job<DueReminder>): Promise<ReminderOutcome> {
    return this.engine.run(job.data);
  }
}
