import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { DestinationStream } from 'pino';
import { AccountsModule, ErasedAccountClosure } from '@passerelle/accounts';
import { InvitationMailReactor, InvitationReadModelProjection, InvitationReminderSource, InvitationsWorkerModule } from '@passerelle/invitations';
import { MailModule } from '@passerelle/mail';
import { PersonalDataModule } from '@passerelle/personal-data';
import { AppConfig, Clock, IdempotencyKeyPurge, IdsOnlyWorker, JobReconciler, PlatformModule, queueConnection, SubscriptionsModule } from '@passerelle/platform';
import { RemindersModule } from '@passerelle/reminders';
import { ActivationMailReconciled, InstitutionReadModelProjection, PartnerAccountsReactor, PartnersModule } from '@passerelle/partners';
import { CallClosingReactor, CallDeadlineReminderSource, CallReadModelProjection, CallsModule } from '@passerelle/calls';
import { PartnershipEndReminderSource, PartnershipExpiry, PartnershipPolicy, PartnershipReadModelProjection, PartnershipsModule } from '@passerelle/partnerships';
import { DecisionMailReconciled, ProposalNotificationsReactor, ProposalReadModelProjection, ProposalsModule } from '@passerelle/proposals';
import { MinistryReadModelProjection, ReportingModule, ReportingWorkerModule, ReportReactor } from '@passerelle/reporting';
import { WorkshopReadModelProjection, WorkshopsModule } from '@passerelle/workshops';
import { NotificationMailProcessor } from './notifications/notification-mail.processor';
import { InvitationMailProcessor } from './invitations/invitation-mail.processor';
import { ReminderSweepsProcessor } from './reminders/reminder-sweeps.processor';
import { RemindersProcessor } from './reminders/reminders.processor';
import { ReportProcessor } from './reporting/report.processor';
import { MailAttemptsLog } from './mail/mail-attempts.log';
import { SmtpStartCheck } from './mail/smtp-start-check';
import { ReconcileTimer } from './reconcile/reconcile.timer';
import { IdempotencyKeyPurgeTimer } from './idempotency/idempotency-key-purge.timer';
import { PartnershipExpiryTimer } from './partnerships/partnership-expiry.timer';
import { CallClosingProcessor } from './calls/call-closing.processor';
import { CallClosingTimer } from './calls/call-closing.timer';
import { PersonalDataRetention } from './privacy/personal-data-retention';
import { PersonalDataRetentionProcessor, RETENTION_QUEUE } from './privacy/personal-data-retention.processor';

export interface WorkerOptions {
  /** Where the worker's log lines go instead of stdout (tests read them there). */
  logDestination?: DestinationStream;
  /** The time the worker goes by (reminders, expiry) instead of the system's: tests move it on. */
  clock?: Clock;
}

/** The worker: projections and reactors (subscriptions of the event store) and the BullMQ processors. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig, options: WorkerOptions = {}): DynamicModule {
    // Every processor runs in a worker that keeps addresses out of what its jobs leave in Redis.
    BullModule.workerClass = IdsOnlyWorker;
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config, { logDestination: options.logDestination, clock: options.clock }),
        PersonalDataModule,
        CqrsModule.forRoot(),
        BullModule.forRoot(queueConnection(config.REDIS_URL, config.QUEUE_PREFIX)),
        BullModule.registerQueue({ name: RETENTION_QUEUE }),
        MailModule,
        AccountsModule,
        InvitationsWorkerModule,
        PartnersModule,
        CallsModule,
        ReportingWorkerModule,
        // Every kind of reminder, one engine: a new kind is a new source in this list.
        RemindersModule.forSources([InvitationReminderSource, PartnershipEndReminderSource, CallDeadlineReminderSource], [InvitationsWorkerModule]),
        SubscriptionsModule.register(
          [
            WorkshopReadModelProjection,
            InvitationReadModelProjection,
            InvitationMailReactor,
            InstitutionReadModelProjection,
            PartnerAccountsReactor,
            ProposalReadModelProjection,
            ProposalNotificationsReactor,
            PartnershipReadModelProjection,
            PartnershipPolicy,
            MinistryReadModelProjection,
            ReportReactor,
            CallReadModelProjection,
            CallClosingReactor,
          ],
          [WorkshopsModule, InvitationsWorkerModule, PartnersModule, ProposalsModule, PartnershipsModule, ReportingModule, CallsModule],
        ),
      ],
      providers: [InvitationMailProcessor, ReminderSweepsProcessor, RemindersProcessor, NotificationMailProcessor, ReportProcessor, MailAttemptsLog, SmtpStartCheck, JobReconciler, ReconcileTimer, IdempotencyKeyPurge, IdempotencyKeyPurgeTimer, ActivationMailReconciled, DecisionMailReconciled, ErasedAccountClosure, PersonalDataRetention, PersonalDataRetentionProcessor, PartnershipExpiry, PartnershipExpiryTimer, CallClosingProcessor, CallClosingTimer],
    };
  }
}
