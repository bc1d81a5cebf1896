import type { QueueAction } from '@passerelle/operations';

/**
 * The name of each write route of Bull Board (method and path under the board), as the audit shows it.
 * A route missing here (a newer Bull Board) is still recorded, under its method and path.
 */
const ACTION_NAMES: Record<string, string> = {
  'PUT /api/queues/pause': 'pause-all',
  'PUT /api/queues/resume': 'resume-all',
  'POST /api/queues/:queueName/add': 'add-job',
  'PUT /api/queues/:queueName/retry/:queueStatus': 'retry-all',
  'PUT /api/queues/:queueName/promote': 'promote-all',
  'PUT /api/queues/:queueName/clean/:queueStatus': 'clean',
  'PUT /api/queues/:queueName/pause': 'pause',
  'PUT /api/queues/:queueName/resume': 'resume',
  'PUT /api/queues/:queueName/concurrency': 'set-concurrency',
  'PUT /api/queues/:queueName/rate-limit': 'set-rate-limit',
  'PUT /api/queues/:queueName/rate-limit/release': 'release-rate-limit',
  'PUT /api/queues/:queueName/empty': 'empty',
  'PUT /api/queues/:queueName/obliterate': 'obliterate',
  'PUT /api/queues/:queueName/job-schedulers/:schedulerId/remove': 'remove-job-scheduler',
  'PATCH /api/queues/:queueName/job-schedulers/:schedulerId': 'update-job-scheduler',
  'PUT /api/queues/:queueName/job-schedulers/:schedulerId/run': 'run-job-scheduler',
  'PUT /api/queues/:queueName/:jobId/retry': 'retry',
  'PUT /api/queues/:queueName/:jobId/clean': 'remove',
  'PUT /api/queues/:queueName/:jobId/promote': 'promote',
  'PATCH /api/queues/:queueName/:jobId/update-data': 'update-job-data',
  'PATCH /api/queues/:queueName/:jobId/delay': 'change-job-delay',
  'PATCH /api/queues/:queueName/:jobId/priority': 'change-job-priority',
  'PUT /api/queues/:queueName/:jobId/remove-unprocessed-children': 'remove-unprocessed-children',
  'POST /api/metrics/history/purge': 'purge-metrics-history',
};

/** A request that changes something: anything but a read. */
export const isBoardWrite = (method: string): boolean => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/** The name the audit gives a write route (`route` is its pattern under the board: `/api/queues/:queueName/pause`). */
export function actionName(method: string, route: string): string {
  return ACTION_NAMES[`${method} ${route}`] ?? `${method.toLowerCase()} ${route}`;
}

export interface BoardWrite {
  method: string;
  /** The route's pattern under the board. */
  route: string;
  params: Record<string, string | undefined>;
  /** What the board answered (JSON text): the job an `add-job` created is in it. */
  answer: string;
}

/**
 * What one successful write did, queue by queue: a route that names a queue acted on it; one that
 * names none (pause all, resume all) acted on every queue of the board.
 */
export function actionsOf(write: BoardWrite, boardQueues: readonly string[]): QueueAction[] {
  const { queueName, jobId, queueStatus, schedulerId } = write.params;
  const action = actionName(write.method, write.route);
  const job = jobId ?? (action === 'add-job' ? addedJobId(write.answer) : undefined);
  const queues = queueName === undefined ? boardQueues : [queueName];
  return queues.map((queue) => ({ queue, action, jobId: job, status: queueStatus, schedulerId }));
}

function addedJobId(answer: string): string | undefined {
  try {
    const id = (JSON.parse(answer) as { job?: { id?: unknown } }).job?.id;
    return id === undefined || id === null ? undefined : String(id);
  } catch {
    return undefined;
  }
}
