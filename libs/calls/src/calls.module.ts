import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CallClosing } from './application/call-closing';
import { CallTerms } from './application/call-terms';
import { ChangeCallHandler } from './application/change-call';
import { CALL_CLOSING_QUEUE } from './infrastructure/call-closing.queue';
import { CallClosingReactor } from './infrastructure/call-closing.reactor';
import { CallClosingReconciled } from './infrastructure/call-closing.reconciled';
import { CallReadModelProjection } from './infrastructure/call-read-model.projection';
import { CallQueries } from './infrastructure/call.queries';

const queues = BullModule.registerQueue({ name: CALL_CLOSING_QUEUE });

@Module({
  imports: [CqrsModule, queues],
  providers: [ChangeCallHandler, CallQueries, CallTerms, CallClosing, CallReadModelProjection, CallClosingReactor, CallClosingReconciled],
  exports: [CallQueries, CallTerms, CallClosing, CallReadModelProjection, CallClosingReactor, CallClosingReconciled, queues],
})
export class CallsModule {}
