export type ProposalStatus = 'draft' | 'submitted' | 'changes_requested' | 'approved' | 'rejected' | 'withdrawn';

export const RECOMMENDATIONS = ['approve', 'revise', 'reject'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export interface Budget {
  amount: number;
  currency: string;
}

/** What a partner writes in a cooperation proposal, and may edit while it is theirs to edit. */
export interface ProposalFields {
  title: string;
  summary: string;
  sectors: string[];
  countries: string[];
  workshopId: string | null;
  durationMonths: number;
  budget: Budget | null;
  /** The call for proposals it answers, if any. */
  callId: string | null;
}

/** What a ProposalDrafted records: the fields, `callId` only when the proposal names a call (drafts before calls existed have none). */
export type DraftedFields = Omit<ProposalFields, 'callId'> & { callId?: string | null };

export type ProposalEvent =
  | { type: 'ProposalDrafted'; data: DraftedFields & { proposalId: string; institutionId: string; authorId: string; draftedAt: string } }
  | { type: 'ProposalEdited'; data: { proposalId: string; changes: Partial<ProposalFields>; editorId: string; editedAt: string } }
  | { type: 'ProposalSubmitted'; data: { proposalId: string; round: number; submitterId: string; submittedAt: string } }
  | { type: 'ProposalResubmitted'; data: { proposalId: string; round: number; submitterId: string; resubmittedAt: string } }
  | { type: 'ProposalWithdrawn'; data: { proposalId: string; reason: string | null; actorId: string; withdrawnAt: string } }
  | {
      type: 'ProposalReviewed';
      data: { proposalId: string; round: number; reviewerId: string; score: number; recommendation: Recommendation; comment: string; reviewedAt: string };
    }
  | { type: 'ProposalChangesRequested'; data: { proposalId: string; round: number; reviewerId: string; comment: string; requestedAt: string } }
  | { type: 'ProposalApprovalRecorded'; data: { proposalId: string; round: number; approverId: string; approvals: number; recordedAt: string } }
  | { type: 'ProposalApproved'; data: { proposalId: string; round: number; approvers: string[]; approvedAt: string } }
  | { type: 'ProposalRejected'; data: { proposalId: string; round: number; reviewerId: string; reason: string; rejectedAt: string } }
  /** A staff member's word, once for good, on whether they have a conflict of interest with this proposal (`reason` when they have). */
  | { type: 'ConflictOfInterestDeclared'; data: { proposalId: string; staffId: string; conflict: boolean; reason: string | null; declaredAt: string } };

export type ProposalEventType = ProposalEvent['type'];
