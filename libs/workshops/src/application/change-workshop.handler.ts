import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandResult, handleCommand, PostgresEventStore } from '@passerelle/event-store';
import { workshopDecider } from '../domain/workshop.decider';
import { ChangeWorkshop, workshopStream } from './change-workshop.command';

@CommandHandler(ChangeWorkshop)
export class ChangeWorkshopHandler implements ICommandHandler<ChangeWorkshop> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ workshopId, command, options }: ChangeWorkshop): Promise<CommandResult> {
    return handleCommand(this.store, workshopStream(workshopId), workshopDecider, command, options);
  }
}
