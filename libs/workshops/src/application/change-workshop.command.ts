import { Command } from '@nestjs/cqrs';
import { type CommandOptions, type CommandResult, streamKind } from '@passerelle/event-store-core';
import type { WorkshopCommand } from '../domain/workshop.commands';

/** `workshop-<workshopId>`, and back. */
export const [workshopStream, workshopIdOf] = streamKind('workshop');

/** Any command on one workshop: they all take the same path (load, decide, append). */
export class ChangeWorkshop extends Command<CommandResult> {
  constructor(
    readonly workshopId: string,
    readonly command: WorkshopCommand,
    readonly options: CommandOptions,
  ) {
    super();
  }
}
