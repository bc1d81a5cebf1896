import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, Clock, type DueJob, EventStorePool, type ReconciledJobs } from '@passerelle/platform';
import { CALL_CLOSING_QUEUE, type CallClosingJob, callClosingJob, callClosingJobId } from './call-closing.queue';

interface DueCallClosing extends DueJob {
  closesAt: string;
}

/**
 * Calls not recorded closed: each must have the delayed job that closes it at its time (the one the
 * call-closing reactor queued, same id). A job queued again for a call already past its time runs at once;
 * the decider records one CallClosed whatever runs.
 */
@Injectable()
export class CallClosingReconciled implements ReconciledJobs {
  readonly kind = 'call-closing';

  constructor(
    @InjectQueue(CALL_CLOSING_QUEUE) readonly queue: Queue<CallClosingJob>,
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async findDue(): Promise<DueCallClosing[]> {
    const result = await this.pool.query('SELECT id, closes_at, created_at FROM calls WHERE closed_at IS NULL');
    return result.rows.map((row) => {
      const closesAt = (row.closes_at as Date).toISOString();
      return { subjectId: row.id, jobId: callClosingJobId(row.id, closesAt), since: row.created_at, closesAt };
    });
  }

  async enqueue(missing: DueCallClosing[]): Promise<void> {
    const now = this.clock.now();
    await this.queue.addBulk(missing.map((due) => callClosingJob(this.config, { callId: due.subjectId, closesAt: due.closesAt, correlationId: `reconcile:${due.jobId}` }, now)));
  }
}
