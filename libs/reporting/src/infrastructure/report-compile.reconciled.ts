import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, type DueJob, EventStorePool, type ReconciledJobs } from '@passerelle/platform';
import { reportStream } from '../domain/report.decider';
import { REPORT_JOBS, REPORT_QUEUE, type ReportJob, reportJob, reportJobId } from './report.queue';
import { REPORT_REACTOR } from './report.reactor';

/**
 * Concluded workshops whose report has no ReportCompiled yet, or has one with a participating country
 * (of its `countries`) that has neither ReportDeliveryQueued nor ReportDeliveryFailed in the report's
 * stream (a worker died between compiling and queuing the deliveries); with their WorkshopConcluded
 * event (whose id gives the job's). $1 is the report stream prefix, $2 the report reactor. Only events
 * the reactor has passed: a later one is still to be queued by the reactor itself, not missing. Every
 * side reads the partial index `events_report_progress` (or the stream's own index for the deliveries).
 */
export const DUE_REPORT_COMPILES_SQL = `SELECT c.data->>'workshopId' AS workshop_id, c.event_id, c.metadata->>'correlationId' AS correlation_id, c.recorded_at
  FROM events c
  LEFT JOIN events r ON r.type = 'ReportCompiled' AND r.stream_id = $1 || (c.data->>'workshopId')
  WHERE c.position <= (SELECT position FROM subscription_checkpoints WHERE name = $2)
    AND c.type = 'WorkshopConcluded'
    AND (r.event_id IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.data->'countries') AS country(code)
      WHERE NOT EXISTS (SELECT 1 FROM events d
        WHERE d.type IN ('ReportDeliveryQueued', 'ReportDeliveryFailed') AND d.stream_id = r.stream_id AND d.data->>'country' = country.code)))`;

interface DueReportCompile extends DueJob {
  eventId: string;
  correlationId: string;
}

/**
 * Reports of concluded workshops not yet compiled, or compiled with a country's delivery never queued:
 * each must have the `compile` job the report reactor queued for WorkshopConcluded (same id), which
 * compiles (or finds the report compiled), then queues the missing deliveries and sends them.
 */
@Injectable()
export class ReportCompileReconciled implements ReconciledJobs {
  readonly kind = 'report-compile';

  constructor(
    @InjectQueue(REPORT_QUEUE) readonly queue: Queue<ReportJob>,
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
  ) {}

  async findDue(): Promise<DueReportCompile[]> {
    const result = await this.pool.query(DUE_REPORT_COMPILES_SQL, [reportStream(''), REPORT_REACTOR]);
    return result.rows.map((row) => ({
      subjectId: row.workshop_id,
      jobId: reportJobId(row.event_id),
      since: row.recorded_at,
      eventId: row.event_id,
      correlationId: row.correlation_id,
    }));
  }

  async enqueue(missing: DueReportCompile[]): Promise<void> {
    await this.queue.addBulk(missing.map((due) => reportJob(this.config, REPORT_JOBS.compile, due.subjectId, due)));
  }
}
