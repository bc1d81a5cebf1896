import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandOptions, type CommandResult, type Decider, handleCommand, loadAggregate, PreconditionFailedError, streamKind } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { CallTerms } from '@passerelle/calls';
import type { ProposalCall, ProposalCommand } from '../domain/proposal.commands';
import { proposalDecider, proposalNotFound, type ProposalState } from '../domain/proposal.decider';
import type { ProposalEvent } from '../domain/proposal.events';

/** `proposal-<proposalId>`, and back. */
export const [proposalStream, proposalIdOf] = streamKind('proposal');

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
  constructor(
    private readonly store: PostgresEventStore,
    private readonly calls: CallTerms,
  ) {}

  async execute({ proposalId, command, options, institutionId }: ChangeProposal): Promise<CommandResult> {
    const decider = ownedBy(institutionId);
    try {
      return await handleCommand(this.store, proposalStream(proposalId), decider, await this.withCall(proposalId, command), options);
    } catch (err) {
      // If-Match is checked before the command is decided; but a proposal that does not exist, or is
      // another institution's, is "not found" whatever the version asked (RFC 9110, 13.2.1): a 412
      // would tell its existence and version.
      if (err instanceof PreconditionFailedError && command.type !== 'CreateProposal') {
        const { state } = await loadAggregate(this.store, proposalStream(proposalId), proposalDecider);
        if (hiddenFrom(institutionId, state)) throw proposalNotFound();
      }
      throw err;
    }
  }

  /**
   * The command with the call it concerns, read from the call's stream now: the one a draft or an edit
   * names, or the one the proposal already names (an edit that leaves it, a submission). The proposal's
   * stream is read first only for those two; other commands concern no call.
   */
  private async withCall(proposalId: string, command: ProposalCommand): Promise<ProposalCommand> {
    let callId: string | null = null;
    if (command.type === 'CreateProposal') callId = command.fields.callId;
    else if (command.type === 'EditProposal' && command.changes.callId !== undefined) callId = command.changes.callId;
    else if (command.type === 'EditProposal' || command.type === 'SubmitProposal') {
      const { state } = await loadAggregate(this.store, proposalStream(proposalId), proposalDecider);
      callId = state.status === 'none' ? null : state.fields.callId;
    } else {
      return command;
    }
    if (callId === null) return command;
    return { ...command, call: await this.callTerms(callId) };
  }

  private async callTerms(callId: string): Promise<ProposalCall | null> {
    const terms = await this.calls.of(callId);
    if (!terms) return null;
    return { callId, open: terms.status === 'open', sectors: terms.sectors, countries: terms.countries, budgetCeiling: terms.budgetCeiling };
  }
}

/** Whether the proposal is missing, or is another institution's than the acting partner's. */
function hiddenFrom(institutionId: string | null, state: ProposalState): boolean {
  return state.status === 'none' || (institutionId !== null && state.institutionId !== institutionId);
}

/** For a partner, another institution's proposal is one that does not exist: the same refusal, word for word. */
function ownedBy(institutionId: string | null): Decider<ProposalCommand, ProposalState, ProposalEvent> {
  if (institutionId === null) return proposalDecider;
  return {
    ...proposalDecider,
    decide(command, state) {
      if (command.type !== 'CreateProposal' && hiddenFrom(institutionId, state)) throw proposalNotFound();
      return proposalDecider.decide(command, state);
    },
  };
}
