import { type Decider, DomainError } from '@passerelle/event-store-core';
import type { ProposalCommand } from './proposal.commands';
import type { ProposalEvent, ProposalFields, ProposalStatus } from './proposal.events';

export interface ProposalState {
  exists: boolean;
  proposalId: string;
  institutionId: string;
  status: ProposalStatus | 'none';
  /** Submission round: 0 while a first draft, 1 once submitted, +1 at each resubmission. */
  round: number;
  fields: ProposalFields;
  /** Staff who reviewed in the current round: one review each per round. */
  reviewers: Set<string>;
  /** Distinct staff who approved in the current round, in order; cleared when changes are requested. */
  approvers: Set<string>;
}

const FIELD_NAMES: readonly (keyof ProposalFields)[] = ['title', 'summary', 'sectors', 'countries', 'workshopId', 'durationMonths', 'budget'];

export const initialProposalState = (): ProposalState => ({
  exists: false,
  proposalId: '',
  institutionId: '',
  status: 'none',
  round: 0,
  fields: { title: '', summary: '', sectors: [], countries: [], workshopId: null, durationMonths: 0, budget: null },
  reviewers: new Set(),
  approvers: new Set(),
});

function refuse(message: string, code: string): never {
  throw new DomainError(message, code);
}

/** A proposal that does not exist, or that the one asking may not know of: the same words either way. */
export function proposalNotFound(): DomainError {
  return new DomainError('This proposal does not exist', 'proposal_not_found');
}

function requireStatus(state: ProposalState, allowed: ProposalStatus[], action: string): void {
  if (!state.exists) throw proposalNotFound();
  if (!allowed.includes(state.status as ProposalStatus)) {
    refuse(`Cannot ${action} a proposal that is ${state.status.replace('_', ' ')}`, 'proposal_status');
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
  }
  return a === b;
}

/** The fields that really change: known names only, leaving out absent values and values already held. */
function realChanges(changes: Partial<ProposalFields>, current: ProposalFields): Partial<ProposalFields> {
  const kept: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    const value = changes[name];
    if (value !== undefined && !sameValue(value, current[name])) kept[name] = value;
  }
  return kept as Partial<ProposalFields>;
}

export function decideProposal(command: ProposalCommand, state: ProposalState): ProposalEvent[] {
  const proposalId = state.proposalId;
  switch (command.type) {
    case 'CreateProposal':
      if (state.exists) refuse('This proposal already exists', 'proposal_exists');
      return [
        {
          type: 'ProposalDrafted',
          data: {
            proposalId: command.proposalId,
            institutionId: command.institutionId,
            authorId: command.authorId,
            ...command.fields,
            draftedAt: command.at,
          },
        },
      ];
    case 'EditProposal': {
      requireStatus(state, ['draft', 'changes_requested'], 'edit');
      const changes = realChanges(command.changes, state.fields);
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'ProposalEdited', data: { proposalId, changes, editorId: command.editorId, editedAt: command.at } }];
    }
    case 'SubmitProposal':
      requireStatus(state, ['draft', 'changes_requested'], 'submit');
      if (state.status === 'draft') {
        return [{ type: 'ProposalSubmitted', data: { proposalId, round: 1, submitterId: command.submitterId, submittedAt: command.at } }];
      }
      return [{ type: 'ProposalResubmitted', data: { proposalId, round: state.round + 1, submitterId: command.submitterId, resubmittedAt: command.at } }];
    case 'WithdrawProposal':
      requireStatus(state, ['draft', 'submitted', 'changes_requested'], 'withdraw');
      return [{ type: 'ProposalWithdrawn', data: { proposalId, reason: command.reason, actorId: command.actorId, withdrawnAt: command.at } }];
    case 'ReviewProposal': {
      requireStatus(state, ['submitted'], 'review');
      if (!Number.isInteger(command.score) || command.score < 1 || command.score > 5) refuse('A score is a whole number from 1 to 5', 'invalid_score');
      if (state.reviewers.has(command.reviewerId)) refuse('You have already reviewed this submission', 'already_reviewed');
      const { type: _type, at, ...review } = command;
      return [{ type: 'ProposalReviewed', data: { proposalId, round: state.round, ...review, reviewedAt: at } }];
    }
    case 'RequestChanges':
      requireStatus(state, ['submitted'], 'request changes to');
      return [
        {
          type: 'ProposalChangesRequested',
          data: { proposalId, round: state.round, reviewerId: command.reviewerId, comment: command.comment, requestedAt: command.at },
        },
      ];
    case 'ApproveProposal': {
      requireStatus(state, ['submitted'], 'approve');
      if (state.approvers.has(command.approverId)) refuse('You have already approved this submission', 'already_approved');
      const approvers = [...state.approvers, command.approverId];
      const events: ProposalEvent[] = [
        {
          type: 'ProposalApprovalRecorded',
          data: { proposalId, round: state.round, approverId: command.approverId, approvals: approvers.length, recordedAt: command.at },
        },
      ];
      if (approvers.length >= command.approvalsRequired) {
        events.push({ type: 'ProposalApproved', data: { proposalId, round: state.round, approvers, approvedAt: command.at } });
      }
      return events;
    }
    case 'RejectProposal':
      requireStatus(state, ['submitted'], 'reject');
      return [
        {
          type: 'ProposalRejected',
          data: { proposalId, round: state.round, reviewerId: command.reviewerId, reason: command.reason, rejectedAt: command.at },
        },
      ];
  }
}

export function evolveProposal(state: ProposalState, event: ProposalEvent): ProposalState {
  switch (event.type) {
    case 'ProposalDrafted': {
      const { proposalId, institutionId, authorId: _author, draftedAt: _at, ...fields } = event.data;
      return { ...state, exists: true, proposalId, institutionId, status: 'draft', fields };
    }
    case 'ProposalEdited':
      return { ...state, fields: { ...state.fields, ...event.data.changes } };
    case 'ProposalSubmitted':
    case 'ProposalResubmitted':
      return { ...state, status: 'submitted', round: event.data.round, reviewers: new Set(), approvers: new Set() };
    case 'ProposalWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'ProposalReviewed':
      return { ...state, reviewers: new Set(state.reviewers).add(event.data.reviewerId) };
    case 'ProposalChangesRequested':
      return { ...state, status: 'changes_requested', approvers: new Set() };
    case 'ProposalApprovalRecorded':
      return { ...state, approvers: new Set(state.approvers).add(event.data.approverId) };
    case 'ProposalApproved':
      return { ...state, status: 'approved' };
    case 'ProposalRejected':
      return { ...state, status: 'rejected' };
  }
}

export const proposalDecider: Decider<ProposalCommand, ProposalState, ProposalEvent> = {
  initialState: initialProposalState,
  decide: decideProposal,
  evolve: evolveProposal,
};
