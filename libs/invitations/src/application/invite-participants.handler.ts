import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { runCommand } from '@passerelle/event-store-core';
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
    return runCommand(this.store, options, async (session) => {
      await session.decide(
        workshopStream(workshopId),
        workshopDecider,
        { type: 'InviteParticipants', invitations: invitations.map((i) => ({ invitationId: i.invitationId, email: i.participant.email })) },
        { expectedVersion: options.expectedVersion },
      );
      // Every invitation is a new stream: all started in one statement.
      const started = await session.startStreams(
        invitationDecider,
        invitations.map(({ invitationId, participant }) => ({
          streamId: invitationStream(invitationId),
          command: { type: 'IssueInvitation' as const, invitationId, workshopId, participant, tokenHash: RsvpTokens.hash(this.tokens.tokenFor(invitationId)), at },
        })),
      );
      const items: IssuedInvitation[] = started.map((result, i) => ({
        id: invitations[i].invitationId,
        email: invitations[i].participant.email,
        version: result.version,
        position: result.position,
      }));
      return { items, position: Math.max(...items.map((i) => i.position)) };
    });
  }
}
