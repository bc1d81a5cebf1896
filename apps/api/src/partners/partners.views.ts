import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WriteAnswerView } from '@passerelle/platform';

/** What the partner, proposal and partnership endpoints answer, for the OpenAPI document. */

export class InstitutionContactView {
  @ApiProperty({ format: 'uuid', description: 'the contact\'s account' }) userId: string;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty() language: string;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'present when the contact was erased: their name and address read "[erased]"' }) personalDataErased?: true;
}

export class InstitutionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() country: string;
  @ApiProperty({ type: String, nullable: true }) website: string | null;
  @ApiProperty({ type: [InstitutionContactView] }) contacts: InstitutionContactView[];
  @ApiProperty() registeredAt: string;
  @ApiProperty() version: number;
  @ApiPropertyOptional({ type: Boolean, example: true, description: 'present when one of its contacts was erased (that contact says so too)' }) personalDataErased?: true;
}

export class InstitutionPageView {
  @ApiProperty({ type: [InstitutionView] }) items: InstitutionView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class BudgetView {
  @ApiProperty() amount: number;
  @ApiProperty({ example: 'EUR' }) currency: string;
}

const PROPOSAL_STATUSES = ['draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn'];

export class ProposalView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ enum: PROPOSAL_STATUSES }) status: string;
  @ApiProperty({ description: 'the review round, one more each time changes are requested' }) round: number;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [String] }) sectors: string[];
  @ApiProperty({ type: [String] }) countries: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) workshopId: string | null;
  @ApiProperty() durationMonths: number;
  @ApiProperty({ type: BudgetView, nullable: true }) budget: BudgetView | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the call for proposals it answers' }) callId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty() version: number;
}

export class ProposalPageView {
  @ApiProperty({ type: [ProposalView] }) items: ProposalView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ReviewView {
  @ApiProperty() round: number;
  @ApiProperty({ format: 'uuid' }) reviewerId: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) score: number;
  @ApiProperty({ enum: ['approve', 'revise', 'reject'] }) recommendation: string;
  @ApiProperty() comment: string;
  @ApiProperty() reviewedAt: string;
}

export class ApprovalView {
  @ApiProperty({ format: 'uuid' }) approverId: string;
  @ApiProperty() round: number;
  @ApiProperty() at: string;
}

export class HistoryEntryView {
  @ApiProperty({ example: 'ProposalSubmitted' }) type: string;
  @ApiProperty() version: number;
  @ApiProperty() at: string;
  @ApiProperty({ type: String, nullable: true }) actor: string | null;
}

export class ConflictDeclarationView {
  @ApiProperty({ format: 'uuid', description: 'the staff member\'s account' }) staffId: string;
  @ApiProperty() conflict: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'null when no conflict was declared' }) reason: string | null;
  @ApiProperty() declaredAt: string;
}

export class ProposalDetailView extends ProposalView {
  @ApiProperty({ type: [ReviewView] }) reviews: ReviewView[];
  @ApiProperty({ type: [ApprovalView] }) approvals: ApprovalView[];
  @ApiProperty({ type: [HistoryEntryView], description: 'for partners, without the declarations of conflicts of interest' }) history: HistoryEntryView[];
  @ApiPropertyOptional({ type: [ConflictDeclarationView], description: 'the staff\'s declarations of conflicts of interest, oldest first: staff and admins only, never partners' })
  conflictDeclarations?: ConflictDeclarationView[];
}

export class ProposalWriteView extends WriteAnswerView {
  @ApiPropertyOptional({ enum: PROPOSAL_STATUSES, description: 'the status the write left the proposal in' }) status?: string;
}

export class PartnershipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) proposalId: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ enum: ['active', 'suspended', 'concluded', 'expired'] }) status: string;
  @ApiProperty() establishedAt: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'First day of the term' }) startsOn: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Last day of the term; null for a partnership established before terms were recorded, until staff set one' }) endsOn: string | null;
  @ApiProperty() version: number;
}

export class PartnershipPageView {
  @ApiProperty({ type: [PartnershipView] }) items: PartnershipView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ActivatedView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ example: true }) activated: boolean;
}
