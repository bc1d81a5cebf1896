import { eventJobOptions } from '@passerelle/platform';

export const REPORT_QUEUE = 'report';

/** The jobs' names: a workshop concluded (compile, then deliver), or a delivery queued (deliver). */
export const REPORT_JOBS = { compile: 'compile', deliver: 'deliver' } as const;
export type ReportJobName = (typeof REPORT_JOBS)[keyof typeof REPORT_JOBS];

/** A report job: ids only; the processor compiles the report if it is not yet, then sends the deliveries queued. */
export interface ReportJob {
  workshopId: string;
  /** The event that caused it, for the outcomes' causation id. */
  eventId: string;
  correlationId: string;
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
