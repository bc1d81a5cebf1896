import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { EventStorePool } from '../database/event-store.provider';
import { PROCESS_LOGGER } from '../logging/logging';
import { MetricsRegistry } from '../metrics/metrics';
import { missingJobIds } from './missing-jobs';
import type { ReconciledJobs, ReconciledScheduler } from './reconciled-jobs';

/** One pass at a time across every worker process of a database: a session advisory lock, tried, never waited for. */
const RECONCILE_LOCK = "hashtext('passerelle.reconcile-jobs')";

export interface ReconcilePass {
  /** False when another process held the lock: this pass did nothing. */
  ran: boolean;
  requeued: Record<string, number>;
}

/**
 * Makes sure every job the store says is due exists in Redis (Redis may lose its data; the store never
 * does), and every job scheduler too. A job that exists is left alone; a missing one is queued again
 * with its deterministic id, and the mail ledger keeps anything from being sent twice.
 */
@Injectable()
export class JobReconciler {
  private readonly logger: Logger;

  constructor(
    private readonly pool: EventStorePool,
    private readonly metrics: MetricsRegistry,
    @Inject(PROCESS_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ context: 'Reconciler' });
  }

  async pass(kinds: ReconciledJobs[], schedulers: ReconciledScheduler[] = []): Promise<ReconcilePass> {
    const client = await this.pool.connect();
    let lockError: Error | undefined;
    try {
      const locked = (await client.query(`SELECT pg_try_advisory_lock(${RECONCILE_LOCK}) AS locked`)).rows[0].locked as boolean;
      if (!locked) return { ran: false, requeued: {} };
      try {
        const requeued: Record<string, number> = {};
        for (const kind of kinds) requeued[kind.kind] = await this.reconcile(kind);
        for (const scheduler of schedulers) if (await this.ensure(scheduler)) requeued[scheduler.kind] = 1;
        return { ran: true, requeued };
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${RECONCILE_LOCK})`).catch((err: Error) => {
          lockError = err;
        });
      }
    } finally {
      // A connection that may still hold the lock is closed rather than returned to the pool.
      client.release(lockError);
    }
  }

  private async reconcile(kind: ReconciledJobs): Promise<number> {
    const due = await kind.findDue();
    if (due.length === 0) return 0;
    const missingIds = await missingJobIds(kind.queue, due.map((job) => job.jobId));
    const missing = due.filter((job) => missingIds.has(job.jobId));
    if (missing.length === 0) return 0;
    await kind.enqueue(missing);
    for (const job of missing) {
      this.logger.warn(
        { kind: kind.kind, id: job.subjectId, jobId: job.jobId, dueSince: job.since.toISOString() },
        `${kind.kind} job ${job.jobId} was missing from Redis (due since ${job.since.toISOString()}): queued again`,
      );
    }
    this.metrics.reconciledJobs.inc({ kind: kind.kind }, missing.length);
    return missing.length;
  }

  private async ensure(scheduler: ReconciledScheduler): Promise<boolean> {
    const recreated = await scheduler.ensure();
    if (recreated) {
      this.logger.warn({ kind: scheduler.kind }, `The ${scheduler.kind} job scheduler was missing from Redis: created again`);
      this.metrics.reconciledJobs.inc({ kind: scheduler.kind });
    }
    return recreated;
  }
}
