import { type Decider, refuse } from '@passerelle/event-store-core';
import type { QueueAction, QueueActionCommand, QueueActionEvent } from './queue-action.events';

/** A queue's stream is its log of admin actions: all it knows is how many there were. */
export interface QueueActionLog {
  actions: number;
}

/**
 * Records an action the board has already carried out: nothing to refuse but a command that names no
 * queue or no action (the board's routes always name both).
 */
export function decideQueueAction(command: QueueActionCommand, _state: QueueActionLog): QueueActionEvent[] {
  const { queue, action, jobId, status, schedulerId } = command;
  if (queue === '' || action === '') refuse('A queue action names its queue and what was done', 'queue_action_incomplete');
  const data: QueueAction = { queue, action };
  if (jobId !== undefined) data.jobId = jobId;
  if (status !== undefined) data.status = status;
  if (schedulerId !== undefined) data.schedulerId = schedulerId;
  return [{ type: 'QueueActionTaken', data }];
}

export const queueActionDecider: Decider<QueueActionCommand, QueueActionLog, QueueActionEvent> = {
  initialState: () => ({ actions: 0 }),
  decide: decideQueueAction,
  evolve: (state) => ({ actions: state.actions + 1 }),
};
