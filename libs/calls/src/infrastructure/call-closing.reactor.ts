import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { TypedConsumer } from '@passerelle/event-store-postgres';
import { AppConfig, Clock } from '@passerelle/platform';
import type { CallEvent } from '../domain/call.events';
import { CALL_CLOSING_QUEUE, type CallClosingJob, callClosingJob } from './call-closing.queue';

export const CALL_CLOSING_REACTOR = 'call-closing-reactor';

/** A call opened gets its closing job, delayed until its closing time; a replay queues nothing twice (the job's id). */
@Injectable()
export class CallClosingReactor extends TypedConsumer<CallEvent> {
  constructor(@InjectQueue(CALL_CLOSING_QUEUE) queue: Queue<CallClosingJob>, config: AppConfig, clock: Clock) {
    super({
      name: CALL_CLOSING_REACTOR,
      categories: ['call'],
      handlers: {
        CallOpened: async (event) => {
          const job = callClosingJob(config, { callId: event.data.callId, closesAt: event.data.closesAt, correlationId: event.metadata.correlationId }, clock.now());
          await queue.add(job.name, job.data, job.opts);
        },
        // A call closed early keeps its job: run at the closing time, it finds the call closed and records nothing.
        CallClosed: null,
      CallDeadlineReminderSent: null,
      },
    });
  }
}
