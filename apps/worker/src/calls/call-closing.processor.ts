import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { CALL_CLOSING_QUEUE, CallClosing, type CallClosingJob } from '@passerelle/calls';

/**
 * Closes a call at its closing time: the delayed job its CallOpened queued. A job run a little early
 * (Redis's clock and the app's may differ) goes back to wait for the rest of the time; a call already
 * closed, by staff or by the sweep, records nothing.
 */
@Processor(CALL_CLOSING_QUEUE, { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 })
export class CallClosingProcessor extends WorkerHost {
  constructor(private readonly closing: CallClosing) {
    super();
  }

  async process(job: Job<CallClosingJob>, token?: string): Promise<string> {
    const result = await this.closing.closeAtDeadline(job.data.callId, job.data.correlationId);
    if (result.outcome === 'early') {
      await job.moveToDelayed(Date.now() + result.dueInMs, token);
      throw new DelayedError();
    }
    return result.outcome;
  }
}
