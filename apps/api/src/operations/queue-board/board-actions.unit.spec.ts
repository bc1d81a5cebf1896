import { appRoutes, buildHistoryRoutes } from '@bull-board/api/dist/routes';
import { actionName, actionsOf, isBoardWrite } from './board-actions';

const BOARD = ['invitation-mail', 'report'];

describe('the board write routes and what the audit calls them', () => {
  it('names every write route Bull Board has, so none is recorded under its bare path', () => {
    const history = buildHistoryRoutes({} as never, { hasUsage: true, canPurge: true, hasLatency: true });
    const writes = [...appRoutes.api, ...history].flatMap((route) =>
      [route.method].flat().filter((method) => isBoardWrite(method.toUpperCase())).flatMap((method) => [route.route].flat().map((path) => `${method.toUpperCase()} ${path}`)),
    );
    expect(writes.length).toBeGreaterThanOrEqual(20);
    const unnamed = writes.filter((write) => {
      const [method, path] = write.split(' ');
      return actionName(method, path).includes('/');
    });
    expect(unnamed).toEqual([]);
  });

  it('treats everything but GET, HEAD and OPTIONS as a write', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].map(isBoardWrite)).toEqual([false, false, false]);
    expect(['PUT', 'POST', 'PATCH', 'DELETE'].map(isBoardWrite)).toEqual([true, true, true, true]);
  });

  it("records a queue's action on that queue, with the job, the status or the scheduler it named", () => {
    const write = (route: string, params: Record<string, string>, method = 'PUT', answer = '{}') => actionsOf({ method, route, params, answer }, BOARD);
    expect(write('/api/queues/:queueName/pause', { queueName: 'report' })).toEqual([{ queue: 'report', action: 'pause' }]);
    expect(write('/api/queues/:queueName/:jobId/clean', { queueName: 'report', jobId: 'report.7' })).toEqual([{ queue: 'report', action: 'remove', jobId: 'report.7' }]);
    expect(write('/api/queues/:queueName/clean/:queueStatus', { queueName: 'report', queueStatus: 'failed' })).toEqual([{ queue: 'report', action: 'clean', status: 'failed' }]);
    expect(write('/api/queues/:queueName/job-schedulers/:schedulerId/run', { queueName: 'report', schedulerId: 'hourly' })).toEqual([
      { queue: 'report', action: 'run-job-scheduler', schedulerId: 'hourly' },
    ]);
    expect(write('/api/queues/:queueName/add', { queueName: 'report' }, 'POST', '{"job":{"id":"12"},"status":"waiting"}')).toEqual([{ queue: 'report', action: 'add-job', jobId: '12' }]);
    expect(write('/api/queues/:queueName/add', { queueName: 'report' }, 'POST', 'not json')).toEqual([{ queue: 'report', action: 'add-job' }]);
  });

  it('records a route that names no queue (pause all) on every queue of the board', () => {
    expect(actionsOf({ method: 'PUT', route: '/api/queues/pause', params: {}, answer: '{}' }, BOARD)).toEqual([
      { queue: 'invitation-mail', action: 'pause-all' },
      { queue: 'report', action: 'pause-all' },
    ]);
  });

  it('still records a write route it does not know, under its method and path', () => {
    expect(actionsOf({ method: 'DELETE', route: '/api/queues/:queueName/everything', params: { queueName: 'report' }, answer: '' }, BOARD)).toEqual([
      { queue: 'report', action: 'delete /api/queues/:queueName/everything' },
    ]);
  });
});
