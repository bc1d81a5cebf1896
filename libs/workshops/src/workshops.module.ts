import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChangeWorkshopHandler } from './application/change-workshop.handler';
import { WorkshopReadModelProjection } from './infrastructure/workshop-read-model.projection';
import { WorkshopQueries } from './infrastructure/workshop.queries';
import { WorkshopPastQueries } from './infrastructure/workshop-past.queries';

@Module({
  imports: [CqrsModule],
  providers: [ChangeWorkshopHandler, WorkshopQueries, WorkshopPastQueries, WorkshopReadModelProjection],
  exports: [WorkshopQueries, WorkshopPastQueries, WorkshopReadModelProjection],
})
export class WorkshopsModule {}
