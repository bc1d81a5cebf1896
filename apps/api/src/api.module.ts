import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { DestinationStream } from 'pino';
import { LoginModule } from '@passerelle/accounts';
import { InvitationsModule } from '@passerelle/invitations';
import { ReminderQueuesModule } from '@passerelle/reminders';
import { PersonalDataModule } from '@passerelle/personal-data';
import { AppConfig, PlatformHttpModule, PlatformModule, queueConnection } from '@passerelle/platform';
import { PartnersModule } from '@passerelle/partners';
import { PartnershipsModule } from '@passerelle/partnerships';
import { ProposalsModule } from '@passerelle/proposals';
import { CallsModule } from '@passerelle/calls';
import { CallsController } from './calls/calls.controller';
import { ReportingModule } from '@passerelle/reporting';
import { AccountsController } from './accounts/accounts.controller';
import { LoginLocksController } from './accounts/login-locks.controller';
import { MinistriesController } from './reporting/ministries.controller';
import { ReportsController } from './reporting/reports.controller';
import { WorkshopsModule } from '@passerelle/workshops';
import { ActivationController } from './partners/activation.controller';
import { PartnersController } from './partners/partners.controller';
import { PartnershipsController } from './partners/partnerships.controller';
import { ProposalsController } from './partners/proposals.controller';
import { AuditController } from './operations/audit.controller';
import { ExportsController } from './exports/exports.controller';
import { ExportQueries } from './exports/exports.queries';
import { OperationsMetrics } from './operations/operations-metrics';
import { QueueBoardModule } from './operations/queue-board.module';
import { PersonalDataExportController } from './privacy/personal-data-export.controller';
import { RsvpController } from './workshops/rsvp.controller';
import { WorkshopsController } from './workshops/workshops.controller';
import { PrivacyController } from './privacy/privacy.controller';
import { ConsoleController } from './console/console.controller';
import { ConsoleSessions } from './console/console-sessions';

export interface ApiOptions {
  /** Where the API's log lines go instead of stdout (tests read them there). */
  logDestination?: DestinationStream;
}

/** The HTTP API. */
@Module({})
export class ApiModule {
  static register(config: AppConfig, options: ApiOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config, { logDestination: options.logDestination }),
        PersonalDataModule,
        PlatformHttpModule,
        LoginModule,
        CqrsModule.forRoot(),
        BullModule.forRoot(queueConnection(config.REDIS_URL, config.QUEUE_PREFIX)),
        WorkshopsModule,
        InvitationsModule,
        ReminderQueuesModule,
        PartnersModule,
        ProposalsModule,
        CallsModule,
        PartnershipsModule,
        ReportingModule,
        QueueBoardModule,
      ],
      controllers: [AccountsController, LoginLocksController, WorkshopsController, RsvpController, AuditController, PartnersController, ProposalsController, CallsController, PartnershipsController, ActivationController, MinistriesController, ReportsController, PrivacyController, PersonalDataExportController, ExportsController, ConsoleController],
      providers: [OperationsMetrics, ExportQueries, ConsoleSessions],
    };
  }
}
