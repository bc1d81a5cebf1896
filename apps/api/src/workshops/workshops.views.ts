import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WriteAnswerView } from '@passerelle/platform';
import { SESSION_KINDS } from '@passerelle/workshops';

/** What the workshop and invitation endpoints answer, for the OpenAPI document. */

export class WorkshopSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() hostInstitution: string;
  @ApiProperty() city: string;
  @ApiProperty({ example: 'CN' }) country: string;
  @ApiProperty({ example: '2025-10-23' }) startsOn: string;
  @ApiProperty({ example: '2025-10-25' }) endsOn: string;
  @ApiProperty({ type: [String] }) themes: string[];
  @ApiProperty({ example: 'Asia/Shanghai', description: 'IANA time zone of the venue: times people read are written there' }) timeZone: string;
  @ApiProperty({ enum: ['planned', 'registration_open', 'in_progress', 'concluded'] }) status: string;
  @ApiProperty() version: number;
}

export class WorkshopPageView {
  @ApiProperty({ type: [WorkshopSummaryView] }) items: WorkshopSummaryView[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as ?cursor= for the next page; null on the last' }) nextCursor: string | null;
}

export class SessionView {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ enum: SESSION_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2025-10-23T09:00:00.000Z' }) startsAt: string;
  @ApiProperty({ example: '2025-10-23T12:00:00.000Z' }) endsAt: string;
  @ApiProperty({ type: String, nullable: true }) location: string | null;
}

export class SolutionView {
  @ApiProperty({ format: 'uuid' }) solutionId: string;
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty() company: string;
  @ApiProperty() title: string;
  @ApiProperty() sector: string;
}

const IN_THE_PAST_NULL = 'null in a read of the past (`asOf`, `version`): an invitation\'s status is in its own stream';

export class InvitationCountsView {
  @ApiProperty({ type: Number, nullable: true, description: IN_THE_PAST_NULL }) issued: number | null;
  @ApiProperty({ type: Number, nullable: true, description: IN_THE_PAST_NULL }) emailed: number | null;
  @ApiProperty({ type: Number, nullable: true, description: IN_THE_PAST_NULL }) bounced: number | null;
  @ApiProperty({ type: Number, nullable: true, description: IN_THE_PAST_NULL }) accepted: number | null;
  @ApiProperty({ type: Number, nullable: true, description: IN_THE_PAST_NULL }) declined: number | null;
  @ApiProperty() total: number;
}

export class InvitedThenView {
  @ApiProperty({ format: 'uuid' }) invitationId: string;
  @ApiProperty({ description: 'the address the workshop\'s stream holds; "[erased]" once the participant is erased' }) email: string;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'present when the participant was erased' }) personalDataErased?: true;
}

export class WorkshopDetailView extends WorkshopSummaryView {
  @ApiProperty({ type: [SessionView] }) sessions: SessionView[];
  @ApiProperty({ type: [SolutionView] }) solutions: SolutionView[];
  @ApiProperty({ type: InvitationCountsView, description: 'invitations by status' }) invitations: InvitationCountsView;
  @ApiPropertyOptional({ type: [InvitedThenView], description: 'in a read of the past only: the invitations issued by then' }) invited?: InvitedThenView[];
}

export class SessionAddedView extends WriteAnswerView {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
}

export class SolutionPresentedView extends WriteAnswerView {
  @ApiProperty({ format: 'uuid' }) solutionId: string;
}

export class InvitationIssuedView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ description: "the invitation's version" }) version: number;
  @ApiProperty({ description: 'the position of its write' }) position: number;
}

export class InvitationsIssuedView {
  @ApiProperty({ type: [InvitationIssuedView], description: 'one invitation per participant, e-mailed by the worker' }) items: InvitationIssuedView[];
  @ApiProperty() position: number;
}

export class InvitationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) workshopId: string;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty() country: string;
  @ApiProperty() organization: string;
  @ApiProperty({ type: String, nullable: true }) position: string | null;
  @ApiProperty() language: string;
  @ApiProperty({ enum: ['issued', 'emailed', 'bounced', 'accepted', 'declined'] }) status: string;
  @ApiProperty() issuedAt: string;
  @ApiProperty({ type: String, nullable: true }) emailedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) respondedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) remindedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) bounceReason: string | null;
  @ApiProperty({ type: [String], description: 'the sessions attended' }) attendedSessions: string[];
  @ApiProperty() version: number;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'present when the participant was erased: their name, address, organisation, position and bounce reason read "[erased]"' }) personalDataErased?: true;
}

export class InvitationPageView {
  @ApiProperty({ type: [InvitationView] }) items: InvitationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class RsvpWorkshopView {
  @ApiProperty() title: string;
  @ApiProperty() city: string;
  @ApiProperty() startsOn: string;
  @ApiProperty() endsOn: string;
  @ApiProperty({ example: 'Asia/Shanghai', description: 'IANA time zone of the venue' }) timeZone: string;
}

export class RsvpInvitationView {
  @ApiProperty({ type: RsvpWorkshopView }) workshop: RsvpWorkshopView;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: ['issued', 'emailed', 'bounced', 'accepted', 'declined'] }) status: string;
  @ApiProperty({ description: 'whether answers are still taken (the workshop has not started)' }) open: boolean;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'present when the participant was erased: `fullName` reads "[erased]"' }) personalDataErased?: true;
}

export class RsvpAnswerView extends WriteAnswerView {
  @ApiProperty({ enum: ['accepted', 'declined'] }) status: string;
}
