import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, type DueJob, EventStorePool, type ReconciledJobs } from '@passerelle/platform';
import { reportWorkshopIdOf } from '../domain/report.decider';
import { REPORT_JOBS, REPORT_QUEUE, type ReportJob, reportJob, reportJobId } from './report.queue';
import { REPORT_REACTOR } from './report.reactor';

/**
 * Report deliveries queued and not sent or failed since (a later event of their stream for the same
 * country), with their ReportDeliveryQueued event (whose id gives the job's); $1 is the report reactor,
 * whose checkpoint bounds the events read (a later one is still to be queued by the reactor itself,
 * not missing). The queued events come from the partial index `events_report_progress`, their
 * outcomes from the stream's own index.
 */
export const DUE_REPORT_DELIVERIES_SQL = `SELECT q.stream_id, q.event_id, q.data->>'country' AS country, q.metadata->>'correlationId' AS correlation_id, q.recorded_at
  FROM events q
  WHERE q.position <= (SELECT position FROM subscription_checkpoints WHERE name = $1)
    AND q.type = 'ReportDeliveryQueued'
    AND NOT EXISTS (SELECT 1 FROM events o
      WHERE o.stream_id = q.stream_id AND o.version > q.version
        AND o.type IN ('ReportDeliverySent', 'ReportDeliveryFailed') AND o.data->>'country' = q.data->>'country')`;

interface DueReportDelivery extends DueJob {
  workshopId: string;
  eventId: string;
  correlationId: string;
}

/**
 * Report deliveries the store says are queued and neither sent nor failed: each must have the
 * `deliver` job the report reactor queued for ReportDeliveryQueued (same id). The mail ledger keeps a
 * ministry from getting its report twice, whichever job sends it.
 */
@Injectable()
export class ReportDeliveryReconciled implements ReconciledJobs {
  readonly kind = 'report-delivery';

  constructor(
    @InjectQueue(REPORT_QUEUE) readonly queue: Queue<ReportJob>,
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
  ) {}

  async findDue(): Promise<DueReportDelivery[]> {
    const result = await this.pool.query(DUE_REPORT_DELIVERIES_SQL, [REPORT_REACTOR]);
    return result.rows.map((row) => {
      const workshopId = reportWorkshopIdOf(row.stream_id);
      return {
        subjectId: `${workshopId}:${row.country}`,
        jobId: reportJobId(row.event_id),
        since: row.recorded_at,
        workshopId,
        eventId: row.event_id,
        correlationId: row.correlation_id,
      };
    });
  }

  async enqueue(missing: DueReportDelivery[]): Promise<void> {
    await this.queue.addBulk(missing.map((due) => reportJob(this.config, REPORT_JOBS.deliver, due.workshopId, due)));
  }
}
