import { createHash } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandOptions, type CommandResult, handleCommand, streamKind } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { PartnershipCommand } from '../domain/partnership.commands';
import { partnershipDecider } from '../domain/partnership.decider';

/** `partnership-<partnershipId>`, and back. */
export const [partnershipStream, partnershipIdOf] = streamKind('partnership');

/** The partnership of an approved proposal has an id derived from the proposal's, so the policy can run twice. */
export function partnershipIdFor(proposalId: string): string {
  const hex = createHash('sha256').update(`partnership:${proposalId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class ChangePartnership extends Command<CommandResult> {
  constructor(
    readonly partnershipId: string,
    readonly command: PartnershipCommand,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(ChangePartnership)
export class ChangePartnershipHandler implements ICommandHandler<ChangePartnership> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ partnershipId, command, options }: ChangePartnership): Promise<CommandResult> {
    return handleCommand(this.store, partnershipStream(partnershipId), partnershipDecider, command, options);
  }
}
