import type { EventMetadata } from '@passerelle/event-store-core';
import type { ReportJob } from '../infrastructure/report.queue';

/** The metadata of the events a report job records: the worker acting, caused by the job's event. */
export function reportJobMetadata(job: ReportJob): Partial<EventMetadata> {
  return { actor: 'worker', correlationId: job.correlationId, causationId: job.eventId };
}
