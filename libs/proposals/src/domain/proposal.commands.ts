import type { Budget, ProposalFields, Recommendation } from './proposal.events';

/**
 * The call a proposal names, as its stream says at the time of the command (the command's handler reads
 * it): whether it is open now, and its terms. The decider checks the proposal against it.
 */
export interface ProposalCall {
  callId: string;
  open: boolean;
  sectors: string[];
  countries: string[];
  budgetCeiling: Budget | null;
}

export type ProposalCommand =
  /** `call`: the call `fields.callId` names (null when there is no such call). */
  | { type: 'CreateProposal'; proposalId: string; institutionId: string; authorId: string; fields: ProposalFields; at: string; call?: ProposalCall | null }
  /** `call`: the call the proposal names after the change (null when there is no such call). */
  | { type: 'EditProposal'; changes: Partial<ProposalFields>; editorId: string; at: string; call?: ProposalCall | null }
  /** `call`: the call the proposal names (null when there is no such call). */
  | { type: 'SubmitProposal'; submitterId: string; at: string; call?: ProposalCall | null }
  | { type: 'WithdrawProposal'; reason: string | null; actorId: string; at: string }
  | { type: 'ReviewProposal'; reviewerId: string; score: number; recommendation: Recommendation; comment: string; at: string }
  | { type: 'RequestChanges'; reviewerId: string; comment: string; at: string }
  /** `approvalsRequired` comes in with the command: it is configuration (APPROVALS_REQUIRED), not state. */
  | { type: 'ApproveProposal'; approverId: string; approvalsRequired: number; at: string }
  | { type: 'RejectProposal'; reviewerId: string; reason: string; at: string }
  /** `reason` is required when `conflict` is true, and null when it is false. */
  /** `reason` is required (not blank) when `conflict` is true; a staff member may add one to "no conflict" too. */
  | { type: 'DeclareConflict'; staffId: string; conflict: boolean; reason: string | null; at: string };
