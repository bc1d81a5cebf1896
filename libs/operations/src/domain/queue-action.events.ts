/** What an admin did to a queue through the board: one of its write routes, named, and what it named. */
export interface QueueAction {
  /** The queue's name, as the board shows it (`invitation-mail`). */
  queue: string;
  /** What was done: `pause`, `resume`, `retry`, `remove`, `clean`, `promote`, `add-job`, ... */
  action: string;
  /** The job it was done to, for a job's action (or the job added). */
  jobId?: string;
  /** The job status it was done to (`retry` and `clean` take every job of one status). */
  status?: string;
  /** The job scheduler it was done to. */
  schedulerId?: string;
}

export type QueueActionEvent = { type: 'QueueActionTaken'; data: QueueAction };

export type QueueActionCommand = { type: 'RecordQueueAction' } & QueueAction;
