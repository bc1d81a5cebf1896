import type { ProposalFields, Recommendation } from './proposal.events';

export type ProposalCommand =
  | { type: 'CreateProposal'; proposalId: string; institutionId: string; authorId: string; fields: ProposalFields; at: string }
  | { type: 'EditProposal'; changes: Partial<ProposalFields>; editorId: string; at: string }
  | { type: 'SubmitProposal'; submitterId: string; at: string }
  | { type: 'WithdrawProposal'; reason: string | null; actorId: string; at: string }
  | { type: 'ReviewProposal'; reviewerId: string; score: number; recommendation: Recommendation; comment: string; at: string }
  | { type: 'RequestChanges'; reviewerId: string; comment: string; at: string }
  /** `approvalsRequired` comes in with the command: it is configuration (APPROVALS_REQUIRED), not state. */
  | { type: 'ApproveProposal'; approverId: string; approvalsRequired: number; at: string }
  | { type: 'RejectProposal'; reviewerId: string; reason: string; at: string }
  /** `reason` is required when `conflict` is true, and null when it is false. */
  /** `reason` is required (not blank) when `conflict` is true; a staff member may add one to "no conflict" too. */
  | { type: 'DeclareConflict'; staffId: string; conflict: boolean; reason: string | null; at: string };
