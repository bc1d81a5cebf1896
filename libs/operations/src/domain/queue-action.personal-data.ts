import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { QueueActionEvent } from './queue-action.events';

/**
 * Which fields of the queue board's record are personal (STYLE.md habit 5): none. It names queues, actions,
 * job ids, job statuses and schedulers; jobs carry ids, never people (STYLE.md habit 10), and the admin who
 * acted is in the event's metadata as an account id.
 */
export const queueActionPersonalData: PersonalDataDeclaration<QueueActionEvent> = {
  QueueActionTaken: { personal: [], notPersonal: ['queue', 'action', 'jobId', 'status', 'schedulerId'] },
};
