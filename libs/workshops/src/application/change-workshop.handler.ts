import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandResult, handleCommand } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { workshopDecider } from '../domain/workshop.decider';
import { ChangeWorkshop, workshopStream } from './change-workshop.command';

@CommandHandler(ChangeWorkshop)
export class ChangeWorkshopHandler implements ICommandHandler<ChangeWorkshop> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ workshopId, command, options }: ChangeWorkshop): Promise<CommandResult> {
    return handleCommand(this.store, workshopStream(workshopId), workshopDecider, command, options);
  }
}
