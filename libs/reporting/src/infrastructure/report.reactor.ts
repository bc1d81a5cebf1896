import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { StoredEvent } from '@passerelle/event-store-core';
import { TypedConsumer } from '@passerelle/event-store-postgres';
import { AppConfig, EventStorePool } from '@passerelle/platform';
import type { SubjectEvent } from '@passerelle/privacy';
import type { WorkshopEvent } from '@passerelle/workshops';
import { reportWorkshopIdOf } from '../domain/report.decider';
import type { ReportEvent } from '../domain/report.events';
import { REPORT_JOBS, REPORT_QUEUE, type ReportJob, reportJob, type ReportJobName, reportRerenderJob } from './report.queue';

export const REPORT_REACTOR = 'report-reactor';

/**
 * The workshops whose invitations are among $1 (an erased subject's streams, PersonalDataErased's
 * `streamIds`): the reports the person takes part in. The workshop id of InvitationIssued is in clear.
 */
export const ERASED_PARTICIPANT_WORKSHOPS_SQL = `SELECT DISTINCT i.data->>'workshopId' AS workshop_id
  FROM events i WHERE i.stream_id = ANY($1::text[]) AND i.type = 'InvitationIssued' ORDER BY 1`;

/**
 * A concluded workshop gets its report compiled and sent; a delivery queued again (a resend) gets
 * sent; a participant erased gets each report they are in rendered again (one job per report). One job
 * per event (and report), its id derived from the event's, so a replay enqueues nothing twice; the
 * processor is idempotent (compiled once, each country's mail behind the ledger, rendered again once
 * per erasure) whatever the job.
 */
@Injectable()
export class ReportReactor extends TypedConsumer<WorkshopEvent | ReportEvent | SubjectEvent> {
  constructor(@InjectQueue(REPORT_QUEUE) queue: Queue<ReportJob>, config: AppConfig, pool: EventStorePool) {
    const enqueue = async (name: ReportJobName, workshopId: string, event: StoredEvent) => {
      const job = reportJob(config, name, workshopId, { eventId: event.id, correlationId: event.metadata.correlationId });
      await queue.add(job.name, job.data, job.opts);
    };
    const rerender = async (event: StoredEvent<Extract<SubjectEvent, { type: 'PersonalDataErased' }>>) => {
      const { rows } = await pool.query(ERASED_PARTICIPANT_WORKSHOPS_SQL, [event.data.streamIds]);
      const cause = { eventId: event.id, correlationId: event.metadata.correlationId };
      if (rows.length) await queue.addBulk(rows.map((row) => reportRerenderJob(config, row.workshop_id, event.data.subjectId, cause)));
    };
    super({
      name: REPORT_REACTOR,
      categories: ['workshop', 'report', 'subject'],
      batchSize: 100,
      handlers: {
        WorkshopConcluded: (event) => enqueue(REPORT_JOBS.compile, event.data.workshopId, event),
        ReportDeliveryQueued: (event) => enqueue(REPORT_JOBS.deliver, reportWorkshopIdOf(event.streamId), event),
        PersonalDataErased: rerender,
        // The workshop's life before its end, and the report's own outcomes, ask for no job.
        WorkshopPlanned: null,
        WorkshopSessionAdded: null,
        WorkshopRegistrationOpened: null,
        WorkshopParticipantsInvited: null,
        WorkshopStarted: null,
        WorkshopAttendanceRecorded: null,
        WorkshopSolutionPresented: null,
        ReportCompiled: null,
        ReportRerendered: null,
        ReportDeliverySent: null,
        ReportDeliveryFailed: null,
      },
    });
  }
}
