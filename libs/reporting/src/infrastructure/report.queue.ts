export const REPORT_QUEUE = 'report';

/** A report job: ids only; the processor compiles the report if it is not yet, then sends the deliveries queued. */
export interface ReportJob {
  workshopId: string;
  /** The event that caused it, for the outcomes' causation id. */
  eventId: string;
  correlationId: string;
}

/** BullMQ refuses ':' in custom job ids. */
export const reportJobId = (eventId: string) => `report.${eventId}`;
