import { eventJobOptions } from '@passerelle/platform';

export const REPORT_QUEUE = 'report';

/**
 * The jobs' names: a workshop concluded (compile, then deliver), a delivery queued (deliver), or a
 * participant erased (rerender the files of each report they are in; nothing is delivered again).
 */
export const REPORT_JOBS = { compile: 'compile', deliver: 'deliver', rerender: 'rerender' } as const;
export type ReportJobName = (typeof REPORT_JOBS)[keyof typeof REPORT_JOBS];

/** A report job: ids only; the processor compiles the report if it is not yet, then sends the deliveries queued. */
export interface ReportJob {
  workshopId: string;
  /** The event that caused it, for the outcomes' causation id. */
  eventId: string;
  correlationId: string;
  /** For `rerender`: the erased data subject (an id; the cause is their PersonalDataErased). */
  subjectId?: string;
}

/** BullMQ refuses ':' in custom job ids. */
export const reportJobId = (eventId: string) => `report.${eventId}`;

/**
 * The job an event asks for, as the reactor queues it and the reconciler queues it again: same name,
 * data and deterministic id, so a job Redis still holds is never doubled.
 */
export function reportJob(
  config: { MAIL_ATTEMPTS: number; MAIL_RETRY_DELAY_MS: number },
  name: ReportJobName,
  workshopId: string,
  cause: { eventId: string; correlationId: string },
) {
  const data: ReportJob = { workshopId, eventId: cause.eventId, correlationId: cause.correlationId };
  return { name, data, opts: eventJobOptions(config, reportJobId(cause.eventId)) };
}

/** One re-rendering per erasure and report: the erasure event's id and the workshop's (an erasure may concern several reports). */
export const reportRerenderJobId = (eventId: string, workshopId: string) => `report.${eventId}.${workshopId}`;

/**
 * The job a participant's erasure asks for on one report, as the reactor queues it and the reconciler
 * queues it again: same data and deterministic id, so each report is rendered again once per erasure.
 */
export function reportRerenderJob(
  config: { MAIL_ATTEMPTS: number; MAIL_RETRY_DELAY_MS: number },
  workshopId: string,
  subjectId: string,
  cause: { eventId: string; correlationId: string },
) {
  const data: ReportJob = { workshopId, eventId: cause.eventId, correlationId: cause.correlationId, subjectId };
  return { name: REPORT_JOBS.rerender, data, opts: eventJobOptions(config, reportRerenderJobId(cause.eventId, workshopId)) };
}
