import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, type DueJob, EventStorePool, type ReconciledJobs } from '@passerelle/platform';
import { reportStream } from '../domain/report.decider';
import { REPORT_QUEUE, type ReportJob, reportRerenderJob, reportRerenderJobId } from './report.queue';
import { REPORT_REACTOR } from './report.reactor';

/**
 * Erasures (PersonalDataErased) of a participant whose workshop's report was compiled before it and has
 * no ReportRerendered for that subject since; with the erasure's event (whose id, with the workshop's,
 * gives the job's). $1 is the report stream prefix, $2 the report reactor, whose checkpoint bounds the
 * erasures read (a later one is still to be queued by the reactor itself). A report compiled after the
 * erasure was compiled without the person: nothing is due. The erasures and re-renderings come from the
 * partial index `events_erasure_progress`, the invitations and reports from their streams' index.
 */
export const DUE_REPORT_RERENDERS_SQL = `SELECT e.event_id, e.metadata->>'correlationId' AS correlation_id, e.recorded_at,
    e.data->>'subjectId' AS subject_id, i.data->>'workshopId' AS workshop_id
  FROM events e
  JOIN events i ON i.stream_id IN (SELECT jsonb_array_elements_text(e.data->'streamIds')) AND i.type = 'InvitationIssued'
  JOIN events r ON r.stream_id = $1 || (i.data->>'workshopId') AND r.type = 'ReportCompiled' AND r.position < e.position
  WHERE e.position <= (SELECT position FROM subscription_checkpoints WHERE name = $2)
    AND e.type = 'PersonalDataErased'
    AND NOT EXISTS (SELECT 1 FROM events d
      WHERE d.stream_id = r.stream_id AND d.type = 'ReportRerendered' AND d.data->>'subjectId' = e.data->>'subjectId')`;

interface DueReportRerender extends DueJob {
  workshopId: string;
  erasedSubjectId: string;
  eventId: string;
  correlationId: string;
}

/**
 * Reports compiled before one of their participants was erased and not rendered again since: each must
 * have the `rerender` job the report reactor queued for PersonalDataErased (same id).
 */
@Injectable()
export class ReportRerenderReconciled implements ReconciledJobs {
  readonly kind = 'report-rerender';

  constructor(
    @InjectQueue(REPORT_QUEUE) readonly queue: Queue<ReportJob>,
    private readonly pool: EventStorePool,
    private readonly config: AppConfig,
  ) {}

  async findDue(): Promise<DueReportRerender[]> {
    const result = await this.pool.query(DUE_REPORT_RERENDERS_SQL, [reportStream(''), REPORT_REACTOR]);
    return result.rows.map((row) => ({
      subjectId: row.workshop_id,
      jobId: reportRerenderJobId(row.event_id, row.workshop_id),
      since: row.recorded_at,
      workshopId: row.workshop_id,
      erasedSubjectId: row.subject_id,
      eventId: row.event_id,
      correlationId: row.correlation_id,
    }));
  }

  async enqueue(missing: DueReportRerender[]): Promise<void> {
    await this.queue.addBulk(missing.map((due) => reportRerenderJob(this.config, due.workshopId, due.erasedSubjectId, due)));
  }
}
