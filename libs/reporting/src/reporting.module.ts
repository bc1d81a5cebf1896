import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { SetMinistryContactHandler } from './application/set-ministry-contact';
import { MinistryReadModelProjection } from './infrastructure/ministry-read-model.projection';
import { MinistryQueries } from './infrastructure/ministry.queries';

@Module({
  imports: [CqrsModule],
  providers: [SetMinistryContactHandler, MinistryQueries, MinistryReadModelProjection],
  exports: [MinistryQueries, MinistryReadModelProjection],
})
export class ReportingModule {}
