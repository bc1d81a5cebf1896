import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { InviteParticipantsHandler } from './application/invite-participants.handler';
import { RecordAttendanceHandler } from './application/record-attendance.handler';
import { RespondToInvitationHandler } from './application/respond-to-invitation.handler';
import { RsvpTokens } from './application/rsvp-tokens';
import { InvitationLetters } from './application/invitation-letters';
import { INVITATION_MAIL_QUEUE } from './infrastructure/invitation-mail.queue';
import { InvitationMailReactor } from './infrastructure/invitation-mail.reactor';
import { InvitationMailReconciled } from './infrastructure/invitation-mail.reconciled';
import { InvitationReadModelProjection } from './infrastructure/invitation-read-model.projection';
import { InvitationQueries } from './infrastructure/invitation.queries';

const queues = BullModule.registerQueue({ name: INVITATION_MAIL_QUEUE });

/** Commands and queries of invitations: what the API needs. */
@Module({
  imports: [CqrsModule, queues],
  providers: [RsvpTokens, InvitationQueries, InviteParticipantsHandler, RespondToInvitationHandler, RecordAttendanceHandler],
  exports: [RsvpTokens, InvitationQueries, queues],
})
export class InvitationsModule {}

/**
 * What the worker adds: the projection, the reactor that queues mail, the reconciled kind and the
 * invitation letters (the processors are the worker's own; the reminder source is given to the reminder engine).
 */
@Module({
  imports: [InvitationsModule],
  providers: [InvitationReadModelProjection, InvitationMailReactor, InvitationMailReconciled, InvitationLetters],
  exports: [InvitationsModule, InvitationReadModelProjection, InvitationMailReactor, InvitationMailReconciled, InvitationLetters],
})
export class InvitationsWorkerModule {}
