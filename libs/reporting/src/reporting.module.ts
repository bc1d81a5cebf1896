import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MailModule } from '@passerelle/mail';
import { CompileReportHandler } from './application/compile-report.handler';
import { DeliverReportHandler } from './application/deliver-report.handler';
import { QueueReportDeliveriesHandler } from './application/queue-report-deliveries.handler';
import { RerenderReportHandler } from './application/rerender-report.handler';
import { ResendReportDeliveriesHandler } from './application/resend-report-deliveries';
import { SetMinistryContactHandler } from './application/set-ministry-contact';
import { MinistryReadModelProjection } from './infrastructure/ministry-read-model.projection';
import { MinistryQueries } from './infrastructure/ministry.queries';
import { ReportCompileReconciled } from './infrastructure/report-compile.reconciled';
import { ReportDeliveryReconciled } from './infrastructure/report-delivery.reconciled';
import { ReportRerenderReconciled } from './infrastructure/report-rerender.reconciled';
import { ReportQueries } from './infrastructure/report.queries';
import { REPORT_QUEUE } from './infrastructure/report.queue';
import { ReportReactor } from './infrastructure/report.reactor';

const queues = BullModule.registerQueue({ name: REPORT_QUEUE });

@Module({
  imports: [CqrsModule, queues],
  providers: [SetMinistryContactHandler, ResendReportDeliveriesHandler, MinistryQueries, MinistryReadModelProjection, ReportQueries, ReportReactor],
  exports: [MinistryQueries, MinistryReadModelProjection, ReportQueries, ReportReactor, queues],
})
export class ReportingModule {}

/**
 * What the worker adds: compiling reports and sending them to the ministries, rendering them again
 * after a participant's erasure, and the report jobs the
 * reconciler keeps in step with the store (the BullMQ processor is the worker's own).
 */
@Module({
  imports: [ReportingModule, MailModule],
  providers: [CompileReportHandler, QueueReportDeliveriesHandler, DeliverReportHandler, RerenderReportHandler, ReportCompileReconciled, ReportDeliveryReconciled, ReportRerenderReconciled],
  exports: [
    ReportingModule,
    CompileReportHandler,
    QueueReportDeliveriesHandler,
    DeliverReportHandler,
    RerenderReportHandler,
    ReportCompileReconciled,
    ReportDeliveryReconciled,
    ReportRerenderReconciled,
  ],
})
export class ReportingWorkerModule {}
