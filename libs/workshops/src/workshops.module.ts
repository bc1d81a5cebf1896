import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChangeWorkshopHandler } from './application/change-workshop.handler';
import { WorkshopReadModelProjection } from './infrastructure/workshop-read-model.projection';
import { WorkshopQueries } from './infrastructure/workshop.queries';

@Module({
  imports: [CqrsModule],
  providers: [ChangeWorkshopHandler, WorkshopQueries, WorkshopReadModelProjection],
  exports: [WorkshopQueries, WorkshopReadModelProjection],
})
export class WorkshopsModule {}
