import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AccountsModule } from '@passerelle/accounts';
import { CallsModule } from '@passerelle/calls';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { ChangeProposalHandler } from './application/change-proposal';
import { ProposalRecipients } from './application/proposal-recipients';
import { ProposalNotificationsReactor } from './infrastructure/proposal-notifications.reactor';
import { ProposalReadModelProjection } from './infrastructure/proposal-read-model.projection';
import { ProposalQueries } from './infrastructure/proposal.queries';
import { ProposalPastQueries } from './infrastructure/proposal-past.queries';

const queues = BullModule.registerQueue({ name: NOTIFICATION_MAIL_QUEUE });

@Module({
  imports: [CqrsModule, AccountsModule, CallsModule, queues],
  providers: [ChangeProposalHandler, ProposalRecipients, ProposalQueries, ProposalPastQueries, ProposalReadModelProjection, ProposalNotificationsReactor],
  exports: [ProposalQueries, ProposalPastQueries, ProposalReadModelProjection, ProposalNotificationsReactor],
})
export class ProposalsModule {}
