import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, type ReconciledScheduler } from '@passerelle/platform';
import { PersonalDataRetention } from './personal-data-retention';

export const RETENTION_QUEUE = 'personal-data-retention';
const SCHEDULER_ID = 'erase-past-retention';
/** Retention is counted in days: an hourly pass erases each participant within the hour of their due time. */
const RETENTION_INTERVAL_MS = 3_600_000;

/**
 * Runs the retention pass (PersonalDataRetention) hourly through a BullMQ job scheduler, so one run per
 * interval however many workers run (the pass's lock keeps any overlap out). Without
 * PERSONAL_DATA_RETENTION_DAYS the scheduler is removed and nothing is erased. Its jobs carry no data
 * and return counts only.
 */
@Processor(RETENTION_QUEUE)
export class PersonalDataRetentionProcessor extends WorkerHost implements OnModuleInit, ReconciledScheduler {
  readonly kind = 'personal-data-retention-scheduler';

  constructor(
    @InjectQueue(RETENTION_QUEUE) private readonly schedule: Queue,
    private readonly retention: PersonalDataRetention,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    if (this.config.PERSONAL_DATA_RETENTION_DAYS === undefined) await this.schedule.removeJobScheduler(SCHEDULER_ID);
    else await this.upsertScheduler();
  }

  /** Re-creates the scheduler if Redis lost it (the reconciler asks on each pass); true if it was missing. */
  async ensure(): Promise<boolean> {
    if (this.config.PERSONAL_DATA_RETENTION_DAYS === undefined) return false;
    if (await this.schedule.getJobScheduler(SCHEDULER_ID)) return false;
    await this.upsertScheduler();
    return true;
  }

  private async upsertScheduler(): Promise<void> {
    await this.schedule.upsertJobScheduler(SCHEDULER_ID, { every: RETENTION_INTERVAL_MS }, { name: SCHEDULER_ID });
  }

  async process(): Promise<string> {
    const pass = await this.retention.pass();
    return pass.ran ? `${pass.erased.length} erased, ${pass.failed.length} failed` : 'not run';
  }
}
