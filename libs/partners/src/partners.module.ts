import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AccountsModule } from '@passerelle/accounts';
import { NOTIFICATION_MAIL_QUEUE } from '@passerelle/mail';
import { ChangeInstitutionHandler } from './application/change-institution';
import { InstitutionReadModelProjection } from './infrastructure/institution-read-model.projection';
import { InstitutionQueries } from './infrastructure/institution.queries';
import { PartnerAccountsReactor } from './infrastructure/partner-accounts.reactor';

const queues = BullModule.registerQueue({ name: NOTIFICATION_MAIL_QUEUE });

@Module({
  imports: [CqrsModule, AccountsModule, queues],
  providers: [ChangeInstitutionHandler, InstitutionQueries, InstitutionReadModelProjection, PartnerAccountsReactor],
  exports: [InstitutionQueries, InstitutionReadModelProjection, PartnerAccountsReactor, queues],
})
export class PartnersModule {}
