import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import { AppConfig, eventJobOptions } from '@passerelle/platform';
import { REPORT_QUEUE, type ReportJob, reportJobId } from './report.queue';

export const REPORT_REACTOR = 'report-reactor';

/**
 * A concluded workshop gets its report compiled and sent; a delivery queued again (a resend) gets
 * sent. One job per event, its id derived from the event's, so a replay enqueues nothing twice; the
 * processor is idempotent (compiled once, each country's mail behind the ledger) whatever the job.
 */
@Injectable()
export class ReportReactor implements EventConsumer {
  readonly name = REPORT_REACTOR;
  readonly categories = ['workshop', 'report'];
  readonly batchSize = 100;

  constructor(
    @InjectQueue(REPORT_QUEUE) private readonly queue: Queue<ReportJob>,
    private readonly config: AppConfig,
  ) {}

  filter(event: StoredEvent): boolean {
    return event.type === 'WorkshopConcluded' || event.type === 'ReportDeliveryQueued';
  }

  async handle(events: StoredEvent[]): Promise<void> {
    await this.queue.addBulk(
      events.map((event) => ({
        name: event.type === 'WorkshopConcluded' ? 'compile' : 'deliver',
        data: {
          workshopId: event.type === 'WorkshopConcluded' ? (event.data.workshopId as string) : event.streamId.replace(/^report-/, ''),
          eventId: event.id,
          correlationId: event.metadata.correlationId,
        },
        opts: eventJobOptions(this.config, reportJobId(event.id)),
      })),
    );
  }
}
