import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandOptions, type CommandResult, handleCommand, streamKind } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { MinistryContact } from '../domain/ministry.events';
import { ministryDecider } from '../domain/ministry.decider';

/** `ministry-<country>`, and back. */
export const [ministryStream, ministryCountryOf] = streamKind('ministry');

export class SetMinistryContact extends Command<CommandResult> {
  constructor(
    readonly contact: MinistryContact,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(SetMinistryContact)
export class SetMinistryContactHandler implements ICommandHandler<SetMinistryContact> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ contact, options }: SetMinistryContact): Promise<CommandResult> {
    return handleCommand(this.store, ministryStream(contact.country), ministryDecider, { type: 'SetMinistryContact', contact, at: new Date().toISOString() }, options);
  }
}
