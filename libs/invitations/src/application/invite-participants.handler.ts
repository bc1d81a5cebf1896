import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOn, executeInTransaction, PostgresEventStore } from '@passerelle/event-store';
import { workshopDecider, workshopStream } from '@passerelle/workshops';
import { invitationDecider } from '../domain/invitation.decider';
import { type IssuedInvitation, InviteParticipants, invitationStream } from './invitation-commands';
import { RsvpTokens } from './rsvp-tokens';

@CommandHandler(InviteParticipants)
export class InviteParticipantsHandler implements ICommandHandler<InviteParticipants> {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly tokens: RsvpTokens,
  ) {}

  execute({ workshopId, participants, options }: InviteParticipants) {
    const at = new Date().toISOString();
    const invitations = participants.map((participant) => ({ invitationId: randomUUID(), participant }));
    return executeInTransaction(this.store, options, async (tx) => {
      await decideOn(
        this.store,
        tx,
        workshopStream(workshopId),
        workshopDecider,
        { type: 'InviteParticipants', invitations: invitations.map((i) => ({ invitationId: i.invitationId, email: i.participant.email })) },
        options,
      );
      const items: IssuedInvitation[] = [];
      for (const { invitationId, participant } of invitations) {
        const tokenHash = RsvpTokens.hash(this.tokens.tokenFor(invitationId));
        const issued = await decideOn(
          this.store,
          tx,
          invitationStream(invitationId),
          invitationDecider,
          { type: 'IssueInvitation', invitationId, workshopId, participant, tokenHash, at },
          { metadata: options.metadata },
        );
        items.push({ id: invitationId, email: participant.email, version: issued.version, position: issued.position });
      }
      return { items, position: Math.max(...items.map((i) => i.position)) };
    });
  }
}
