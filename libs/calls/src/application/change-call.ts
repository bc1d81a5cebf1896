import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandOptions, type CommandResult, handleCommand, streamKind } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { CallCommand } from '../domain/call.commands';
import { callDecider } from '../domain/call.decider';

/** `call-<callId>`, and back. */
export const [callStream, callIdOf] = streamKind('call');

export class ChangeCall extends Command<CommandResult> {
  constructor(
    readonly callId: string,
    readonly command: CallCommand,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(ChangeCall)
export class ChangeCallHandler implements ICommandHandler<ChangeCall> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ callId, command, options }: ChangeCall): Promise<CommandResult> {
    return handleCommand(this.store, callStream(callId), callDecider, command, options);
  }
}
