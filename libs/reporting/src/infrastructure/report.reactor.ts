import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { StoredEvent } from '@passerelle/event-store-core';
import { TypedConsumer } from '@passerelle/event-store-postgres';
import { AppConfig } from '@passerelle/platform';
import type { WorkshopEvent } from '@passerelle/workshops';
import { reportWorkshopIdOf } from '../domain/report.decider';
import type { ReportEvent } from '../domain/report.events';
import { REPORT_JOBS, REPORT_QUEUE, type ReportJob, reportJob, type ReportJobName } from './report.queue';

export const REPORT_REACTOR = 'report-reactor';

/**
 * A concluded workshop gets its report compiled and sent; a delivery queued again (a resend) gets
 * sent. One job per event, its id derived from the event's, so a replay enqueues nothing twice; the
 * processor is idempotent (compiled once, each country's mail behind the ledger) whatever the job.
 */
@Injectable()
export class ReportReactor extends TypedConsumer<WorkshopEvent | ReportEvent> {
  constructor(@InjectQueue(REPORT_QUEUE) queue: Queue<ReportJob>, config: AppConfig) {
    const enqueue = async (name: ReportJobName, workshopId: string, event: StoredEvent) => {
      const job = reportJob(config, name, workshopId, { eventId: event.id, correlationId: event.metadata.correlationId });
      await queue.add(job.name, job.data, job.opts);
    };
    super({
      name: REPORT_REACTOR,
      categories: ['workshop', 'report'],
      batchSize: 100,
      handlers: {
        WorkshopConcluded: (event) => enqueue(REPORT_JOBS.compile, event.data.workshopId, event),
        ReportDeliveryQueued: (event) => enqueue(REPORT_JOBS.deliver, reportWorkshopIdOf(event.streamId), event),
        // The workshop's life before its end, and the report's own outcomes, ask for no job.
        WorkshopPlanned: null,
        WorkshopSessionAdded: null,
        WorkshopRegistrationOpened: null,
        WorkshopParticipantsInvited: null,
        WorkshopStarted: null,
        WorkshopAttendanceRecorded: null,
        WorkshopSolutionPresented: null,
        ReportCompiled: null,
        ReportDeliverySent: null,
        ReportDeliveryFailed: null,
      },
    });
  }
}
