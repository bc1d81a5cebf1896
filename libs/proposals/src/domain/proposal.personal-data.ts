import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { ProposalEvent } from './proposal.events';

const proposalFields = ['title', 'summary', 'sectors[]', 'countries[]', 'workshopId', 'budget.currency', 'callId'] as const;

/**
 * Which fields of a proposal's events are personal (STYLE.md habit 5): none. A proposal is an institution's
 * offer of cooperation: its title and summary describe a project, not the partner who typed them, and the
 * people who wrote, reviewed and approved it appear only as account ids (`authorId`, `reviewerId`,
 * `approvers`), which name no one once their account is closed. Staff comments and reasons (review,
 * changes requested, rejection) and a partner's reason to withdraw are judgements of the proposal, kept
 * as the record of the decision, not text a person wrote about themselves.
 *
 * A staff member's reason for a conflict of interest ("I co-supervised the project lead's thesis") is
 * kept not personal too: it says why one account steps aside from one proposal's decision, it is part
 * of the record of that decision (shown to staff and, in the audit, to admins), and the event names the
 * staff member only by account id, so it holds no address to name a data subject by. Staff are told, on
 * the endpoint's documentation, to write the relationship, not private details.
 */
export const proposalPersonalData: PersonalDataDeclaration<ProposalEvent> = {
  ProposalDrafted: { personal: [], notPersonal: [...proposalFields, 'proposalId', 'institutionId', 'authorId', 'draftedAt'] },
  ProposalEdited: {
    personal: [],
    notPersonal: [...proposalFields.map((field) => `changes.${field}` as const), 'proposalId', 'editorId', 'editedAt'],
  },
  ProposalSubmitted: { personal: [], notPersonal: ['proposalId', 'submitterId', 'submittedAt'] },
  ProposalResubmitted: { personal: [], notPersonal: ['proposalId', 'submitterId', 'resubmittedAt'] },
  ProposalWithdrawn: { personal: [], notPersonal: ['proposalId', 'reason', 'actorId', 'withdrawnAt'] },
  ProposalReviewed: { personal: [], notPersonal: ['proposalId', 'reviewerId', 'recommendation', 'comment', 'reviewedAt'] },
  ProposalChangesRequested: { personal: [], notPersonal: ['proposalId', 'reviewerId', 'comment', 'requestedAt'] },
  ProposalApprovalRecorded: { personal: [], notPersonal: ['proposalId', 'approverId', 'recordedAt'] },
  ProposalApproved: { personal: [], notPersonal: ['proposalId', 'approvers[]', 'approvedAt'] },
  ProposalRejected: { personal: [], notPersonal: ['proposalId', 'reviewerId', 'reason', 'rejectedAt'] },
  ConflictOfInterestDeclared: { personal: [], notPersonal: ['proposalId', 'staffId', 'reason', 'declaredAt'] },
};
