import type { Queue } from 'bullmq';

/** A piece of work the store says is due and not done, with the id its job has in Redis. */
export interface DueJob {
  /** What the work is about (an invitation's id, a delivery's id), for the log line. */
  subjectId: string;
  jobId: string;
  /** Since when the store has had it due. */
  since: Date;
}

/**
 * One kind of job the reconciler keeps in step with the store: what is due, and how to queue it again
 * with the same deterministic job id its reactor uses.
 */
export interface ReconciledJobs {
  /** The metric's label and the log's `kind`: `invitation-mail`, ... */
  readonly kind: string;
  readonly queue: Queue;
  findDue(): Promise<DueJob[]>;
  enqueue(missing: DueJob[]): Promise<void>;
}

/** A job scheduler (repeatable job) that must exist; `ensure` re-creates it if missing and says so. */
export interface ReconciledScheduler {
  readonly kind: string;
  /** True when it was missing and has been created again. */
  ensure(): Promise<boolean>;
}
