import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideOn, executeInTransaction } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
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
      // Every invitation is a new stream: decide on the empty state and start them all in one statement.
      const streams = invitations.map(({ invitationId, participant }) => {
        const tokenHash = RsvpTokens.hash(this.tokens.tokenFor(invitationId));
        const events = invitationDecider.decide(
          { type: 'IssueInvitation', invitationId, workshopId, participant, tokenHash, at },
          invitationDecider.initialState(),
        );
        return { streamId: invitationStream(invitationId), events };
      });
      const appended = await this.store.appendToNewStreams(streams, { metadata: options.metadata, client: tx });
      const items: IssuedInvitation[] = appended.map((result, i) => ({
        id: invitations[i].invitationId,
        email: invitations[i].participant.email,
        version: result.version,
        position: result.position,
      }));
      return { items, position: Math.max(...items.map((i) => i.position)) };
    });
  }
}
