import { eventJobOptions } from '@passerelle/platform';

export const CALL_CLOSING_QUEUE = 'call-closing';

/** A call to close at its closing time: ids only; the processor reads the call's stream. */
export interface CallClosingJob {
  callId: string;
  closesAt: string;
  correlationId: string;
}

/** One job per call and closing time, without ':' (BullMQ refuses it in custom ids). */
export const callClosingJobId = (callId: string, closesAt: string) => `call-close.${callId}.${Date.parse(closesAt)}`;

/**
 * The delayed job that closes a call at `closesAt`, as the reactor queues it and the reconciler queues
 * it again: same data and deterministic id, so a job Redis still holds is never doubled.
 */
export function callClosingJob(config: { MAIL_ATTEMPTS: number; MAIL_RETRY_DELAY_MS: number }, data: CallClosingJob, now: number) {
  return {
    name: 'close',
    data,
    opts: { ...eventJobOptions(config, callClosingJobId(data.callId, data.closesAt)), delay: Math.max(0, Date.parse(data.closesAt) - now) },
  };
}
