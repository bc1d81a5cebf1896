import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandOptions, type CommandResult, handleCommand, PostgresEventStore } from '@passerelle/event-store';
import type { PartnerInstitutionCommand } from '../domain/partner-institution.commands';
import { partnerInstitutionDecider } from '../domain/partner-institution.decider';

export const institutionStream = (institutionId: string) => `institution-${institutionId}`;

/** Any command on one partner institution. */
export class ChangeInstitution extends Command<CommandResult> {
  constructor(
    readonly institutionId: string,
    readonly command: PartnerInstitutionCommand,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(ChangeInstitution)
export class ChangeInstitutionHandler implements ICommandHandler<ChangeInstitution> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ institutionId, command, options }: ChangeInstitution): Promise<CommandResult> {
    return handleCommand(this.store, institutionStream(institutionId), partnerInstitutionDecider, command, options);
  }
}
