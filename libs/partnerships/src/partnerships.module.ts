import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChangePartnershipHandler } from './application/change-partnership';
import { PartnershipPolicy } from './infrastructure/partnership-policy';
import { PartnershipReadModelProjection } from './infrastructure/partnership-read-model.projection';
import { PartnershipQueries } from './infrastructure/partnership.queries';
import { PartnershipPastQueries } from './infrastructure/partnership-past.queries';

@Module({
  imports: [CqrsModule],
  providers: [ChangePartnershipHandler, PartnershipQueries, PartnershipPastQueries, PartnershipReadModelProjection, PartnershipPolicy],
  exports: [PartnershipQueries, PartnershipPastQueries, PartnershipReadModelProjection, PartnershipPolicy],
})
export class PartnershipsModule {}
