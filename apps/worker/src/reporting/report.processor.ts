import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import {
  CompileReportHandler,
  DeliverReportHandler,
  QueueReportDeliveriesHandler,
  REPORT_JOBS,
  REPORT_QUEUE,
  RerenderReportHandler,
  type ReportJob,
  reportJobMetadata,
} from '@passerelle/reporting';

/**
 * Runs the report jobs: `compile` (a workshop concluded) compiles the report once, then queues and
 * sends its deliveries; `deliver` (a delivery queued, first or again) queues any country still
 * without a delivery and sends the queued ones; `rerender` (a participant erased) renders the report's
 * files again without them, and sends nothing (an e-mail already sent cannot be recalled). Each step is
 * idempotent, so a job run again after a crash resumes where the last one stopped.
 */
@Processor(REPORT_QUEUE, { lockDuration: 60_000, stalledInterval: 10_000, maxStalledCount: 3 })
export class ReportProcessor extends WorkerHost {
  constructor(
    private readonly compileReport: CompileReportHandler,
    private readonly queueDeliveries: QueueReportDeliveriesHandler,
    private readonly deliverReport: DeliverReportHandler,
    private readonly rerenderReport: RerenderReportHandler,
  ) {
    super();
  }

  async process(job: Job<ReportJob>): Promise<string> {
    const { workshopId } = job.data;
    const metadata = reportJobMetadata(job.data);
    switch (job.name) {
      case REPORT_JOBS.compile:
        if (!(await this.compileReport.execute(workshopId, metadata))) return 'workshop not concluded';
        break;
      case REPORT_JOBS.deliver:
        break;
      case REPORT_JOBS.rerender:
        if (!job.data.subjectId) throw new Error('A rerender job names the erased subject');
        return this.rerenderReport.execute(workshopId, job.data.subjectId, metadata);
      default:
        throw new Error(`Unknown report job: ${job.name}`);
    }
    await this.queueDeliveries.execute(workshopId, metadata);
    return `${await this.deliverReport.execute(workshopId, metadata)} sent`;
  }
}
