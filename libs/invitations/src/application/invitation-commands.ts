import { Command } from '@nestjs/cqrs';
import { type CommandOptions, type CommandResult, streamKind } from '@passerelle/event-store-core';
import type { Participant, RsvpResponse } from '../domain/invitation.events';

/** `invitation-<invitationId>`, and back. */
export const [invitationStream, invitationIdOf] = streamKind('invitation');

export interface IssuedInvitation {
  id: string;
  email: string;
  version: number;
  position: number;
}

/** Invite participants to a workshop: the workshop's roster and one stream per invitation, in one transaction. */
export class InviteParticipants extends Command<{ items: IssuedInvitation[]; position: number; replayed: boolean }> {
  constructor(
    readonly workshopId: string,
    readonly participants: Participant[],
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** A participant's answer, from the link in their e-mail. */
export class RespondToInvitation extends Command<CommandResult & { invitationId: string }> {
  constructor(
    readonly token: string,
    readonly response: RsvpResponse,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** Attendance at one session: recorded on the workshop and on each invitation. */
export class RecordAttendance extends Command<{ id: string; version: number; position: number; replayed: boolean }> {
  constructor(
    readonly workshopId: string,
    readonly sessionId: string,
    readonly invitationIds: string[],
    readonly options: CommandOptions,
  ) {
    super();
  }
}
