export type { QueueAction, QueueActionCommand, QueueActionEvent } from './domain/queue-action.events';
export { queueActionDecider, type QueueActionLog } from './domain/queue-action.decider';
export { RecordQueueActions, queueStream, queueNameOf } from './application/record-queue-actions';
export { OperationsModule } from './operations.module';
export { queueActionPersonalData } from './domain/queue-action.personal-data';
