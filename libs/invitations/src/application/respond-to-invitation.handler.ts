import { NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, loadAggregate } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { workshopDecider, workshopStream } from '@passerelle/workshops';
import { invitationDecider } from '../domain/invitation.decider';
import { InvitationQueries } from '../infrastructure/invitation.queries';
import { invitationStream, RespondToInvitation } from './invitation-commands';
import { RsvpTokens } from './rsvp-tokens';

@CommandHandler(RespondToInvitation)
export class RespondToInvitationHandler implements ICommandHandler<RespondToInvitation> {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly invitations: InvitationQueries,
  ) {}

  async execute({ token, response, options }: RespondToInvitation) {
    const found = await this.invitations.idForTokenHash(RsvpTokens.hash(token));
    if (!found) throw new NotFoundException('No invitation has this link');
    const workshop = await loadAggregate(this.store, workshopStream(found.workshopId), workshopDecider);
    const workshopStarted = workshop.state.status === 'in_progress' || workshop.state.status === 'concluded';
    const result = await handleCommand(
      this.store,
      invitationStream(found.invitationId),
      invitationDecider,
      { type: 'Respond', response, workshopStarted, at: new Date().toISOString() },
      options,
    );
    return { ...result, invitationId: found.invitationId };
  }
}
