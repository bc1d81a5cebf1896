import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RecordQueueActionsHandler } from './application/record-queue-actions';

/** What staff do to the running system (the queue board's actions), recorded as events for the audit. */
@Module({
  imports: [CqrsModule],
  providers: [RecordQueueActionsHandler],
})
export class OperationsModule {}
