import { deciderSpec } from '@passerelle/testing';
import { queueActionDecider } from './queue-action.decider';
import type { QueueActionEvent } from './queue-action.events';

const spec = deciderSpec(queueActionDecider);
const paused: QueueActionEvent = { type: 'QueueActionTaken', data: { queue: 'report', action: 'pause' } };

describe('queue action decider', () => {
  it('records what was done to which queue, whatever was recorded before', () => {
    spec([]).when({ type: 'RecordQueueAction', queue: 'report', action: 'pause' }).then([paused]);
    spec([paused, paused]).when({ type: 'RecordQueueAction', queue: 'report', action: 'pause' }).then([paused]);
  });

  it("keeps the job, the status and the scheduler an action named, and leaves out what it did not", () => {
    spec([])
      .when({ type: 'RecordQueueAction', queue: 'invitation-mail', action: 'remove', jobId: 'invitation.42', status: undefined })
      .then([{ type: 'QueueActionTaken', data: { queue: 'invitation-mail', action: 'remove', jobId: 'invitation.42' } }]);
    spec([])
      .when({ type: 'RecordQueueAction', queue: 'report', action: 'clean', status: 'failed' })
      .then([{ type: 'QueueActionTaken', data: { queue: 'report', action: 'clean', status: 'failed' } }]);
  });

  it('refuses an action without a queue or without a name', () => {
    spec([]).when({ type: 'RecordQueueAction', queue: '', action: 'pause' }).thenRefuses('queue_action_incomplete');
    spec([]).when({ type: 'RecordQueueAction', queue: 'report', action: '' }).thenRefuses('queue_action_incomplete');
  });
});
