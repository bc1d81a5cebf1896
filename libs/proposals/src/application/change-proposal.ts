import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandOptions, type CommandResult, type Decider, DomainError, handleCommand, PostgresEventStore } from '@passerelle/event-store';
import type { ProposalCommand } from '../domain/proposal.commands';
import { proposalDecider, type ProposalState } from '../domain/proposal.decider';
import type { ProposalEvent } from '../domain/proposal.events';

export const proposalStream = (proposalId: string) => `proposal-${proposalId}`;

/**
 * Any command on one proposal. `institutionId` is set when a partner acts: a proposal of another
 * institution is then "not found", never a hint that it exists.
 */
export class ChangeProposal extends Command<CommandResult> {
  constructor(
    readonly proposalId: string,
    readonly command: ProposalCommand,
    readonly options: CommandOptions,
    readonly institutionId: string | null,
  ) {
    super();
  }
}

@CommandHandler(ChangeProposal)
export class ChangeProposalHandler implements ICommandHandler<ChangeProposal> {
  constructor(private readonly store: PostgresEventStore) {}

  execute({ proposalId, command, options, institutionId }: ChangeProposal): Promise<CommandResult> {
    return handleCommand(this.store, proposalStream(proposalId), ownedBy(institutionId), command, options);
  }
}

function ownedBy(institutionId: string | null): Decider<ProposalCommand, ProposalState, ProposalEvent> {
  if (institutionId === null) return proposalDecider;
  return {
    ...proposalDecider,
    decide(command, state) {
      const created = command.type === 'CreateProposal';
      if (!created && state.status !== 'none' && state.institutionId !== institutionId) {
        throw new DomainError('No such proposal', 'proposal_not_found');
      }
      return proposalDecider.decide(command, state);
    },
  };
}
