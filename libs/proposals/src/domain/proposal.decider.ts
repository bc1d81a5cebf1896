import { type Decider, DomainError, type NotStarted, notFound, refuse, requireNew, requireStatus } from '@passerelle/event-store-core';
import type { ProposalCall, ProposalCommand } from './proposal.commands';
import type { DraftedFields, ProposalEvent, ProposalFields } from './proposal.events';

/** What a proposal holds in every status once drafted. */
interface DraftedProposal {
  proposalId: string;
  institutionId: string;
  fields: ProposalFields;
  /**
   * Staff who declared on their conflicts of interest, for good (every round): true for a conflict. A
   * staff member reviews, sends back, approves or rejects only once declared free of conflict.
   */
  declarations: ReadonlyMap<string, boolean>;
}

/** Under review in a submission round (1 at the first submission, +1 at each resubmission). */
interface SubmittedProposal extends DraftedProposal {
  status: 'submitted';
  round: number;
  /** Staff who reviewed in this round: one review each per round. */
  reviewers: Set<string>;
  /** Distinct staff who approved in this round, in order. */
  approvers: Set<string>;
}

export type ProposalState =
  | NotStarted
  | (DraftedProposal & { status: 'draft' })
  | SubmittedProposal
  /** Sent back in a round: the next submission is the next round. */
  | (DraftedProposal & { status: 'changes_requested'; round: number })
  /** Decided or withdrawn: no command changes it any more. */
  | (DraftedProposal & { status: 'approved' | 'rejected' | 'withdrawn' });

const FIELD_NAMES: readonly (keyof ProposalFields)[] = ['title', 'summary', 'sectors', 'countries', 'workshopId', 'durationMonths', 'budget', 'callId'];

export const initialProposalState = (): ProposalState => ({ status: 'none' });

/** A proposal that does not exist, or that the one asking may not know of: the same words either way. */
export function proposalNotFound(): DomainError {
  return notFound('proposal');
}

/** Longest reason a staff member gives for a conflict of interest (the HTTP layer says so first). */
export const CONFLICT_REASON_MAX_LENGTH = 1000;

/**
 * A staff member decides on a proposal only once they have declared no conflict of interest with it:
 * `conflict_undeclared` until they declared, `conflict_of_interest` for good once they declared one.
 */
function requireNoConflict(state: DraftedProposal, staffId: string): void {
  const conflict = state.declarations.get(staffId);
  if (conflict === undefined) refuse('Declare whether you have a conflict of interest with this proposal first', 'conflict_undeclared');
  if (conflict) refuse('You declared a conflict of interest with this proposal', 'conflict_of_interest');
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
  }
  return a === b;
}

function withoutUndefined(changes: Partial<ProposalFields>): Partial<ProposalFields> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<ProposalFields>;
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

/** The call named `callId`, as the command brings it: one that does not exist is `call_not_found` (HTTP 404). */
function namedCall(callId: string, call: ProposalCall | null | undefined): ProposalCall {
  if (!call || call.callId !== callId) throw notFound('call');
  return call;
}

function requireOpen(call: ProposalCall): void {
  if (!call.open) refuse('This call for proposals is not open', 'call_closed');
}

const sameCode = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The fields of a proposal outside its call's terms: each sector and country the call does not name, a
 * budget over its ceiling or in another currency. `complete` (at submission) also wants a budget when the
 * call has a ceiling: a draft may leave it for later.
 */
export function outsideCall(fields: ProposalFields, call: ProposalCall, complete: boolean): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const sectors = fields.sectors.filter((sector) => !call.sectors.some((allowed) => sameCode(allowed, sector)));
  if (sectors.length > 0) errors.push({ field: 'sectors', message: `not a sector of this call: ${sectors.join(', ')} (the call's: ${call.sectors.join(', ')})` });
  const countries = fields.countries.filter((country) => !call.countries.some((allowed) => sameCode(allowed, country)));
  if (countries.length > 0) errors.push({ field: 'countries', message: `not a country of this call: ${countries.join(', ')} (the call's: ${call.countries.join(', ')})` });
  const ceiling = call.budgetCeiling;
  if (ceiling && fields.budget) {
    if (fields.budget.currency !== ceiling.currency) errors.push({ field: 'budget.currency', message: `this call's budgets are in ${ceiling.currency}` });
    else if (fields.budget.amount > ceiling.amount) errors.push({ field: 'budget.amount', message: `over this call's ceiling of ${ceiling.amount} ${ceiling.currency}` });
  } else if (ceiling && complete) {
    errors.push({ field: 'budget', message: `this call caps budgets at ${ceiling.amount} ${ceiling.currency}: give one` });
  }
  return errors;
}

function requireWithinCall(fields: ProposalFields, call: ProposalCall, complete: boolean): void {
  const errors = outsideCall(fields, call, complete);
  if (errors.length > 0) throw new DomainError("This proposal is outside its call's terms", 'call_ineligible', errors);
}

export function decideProposal(command: ProposalCommand, state: ProposalState): ProposalEvent[] {
  switch (command.type) {
    case 'CreateProposal': {
      requireNew(state, 'proposal');
      const { callId, ...fields } = command.fields;
      if (callId !== null) {
        const call = namedCall(callId, command.call);
        requireOpen(call);
        requireWithinCall(command.fields, call, false);
      }
      return [
        {
          type: 'ProposalDrafted',
          data: {
            proposalId: command.proposalId,
            institutionId: command.institutionId,
            authorId: command.authorId,
            ...fields,
            ...(callId !== null ? { callId } : {}),
            draftedAt: command.at,
          },
        },
      ];
    }
    case 'EditProposal': {
      requireStatus(state, ['draft', 'changes_requested'], 'proposal', 'edit');
      const next = { ...state.fields, ...withoutUndefined(command.changes) };
      if (typeof command.changes.callId === 'string') {
        // Naming a call, even the one already named, asks that it be open.
        const call = namedCall(command.changes.callId, command.call);
        requireOpen(call);
        requireWithinCall(next, call, false);
      } else if (next.callId !== null && command.call?.callId === next.callId && command.call.open) {
        // Early word that a change leaves the open call's terms; once it is closed, the proposal cannot be submitted anyway.
        requireWithinCall(next, command.call, false);
      }
      const changes = realChanges(command.changes, state.fields);
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'ProposalEdited', data: { proposalId: state.proposalId, changes, editorId: command.editorId, editedAt: command.at } }];
    }
    case 'SubmitProposal': {
      requireStatus(state, ['draft', 'changes_requested'], 'proposal', 'submit');
      if (state.fields.callId !== null) {
        const call = namedCall(state.fields.callId, command.call);
        requireOpen(call);
        requireWithinCall(state.fields, call, true);
      }
      const { proposalId } = state;
      if (state.status === 'draft') {
        return [{ type: 'ProposalSubmitted', data: { proposalId, round: 1, submitterId: command.submitterId, submittedAt: command.at } }];
      }
      return [{ type: 'ProposalResubmitted', data: { proposalId, round: state.round + 1, submitterId: command.submitterId, resubmittedAt: command.at } }];
    }
    case 'WithdrawProposal':
      requireStatus(state, ['draft', 'submitted', 'changes_requested'], 'proposal', 'withdraw');
      return [{ type: 'ProposalWithdrawn', data: { proposalId: state.proposalId, reason: command.reason, actorId: command.actorId, withdrawnAt: command.at } }];
    case 'ReviewProposal': {
      requireStatus(state, ['submitted'], 'proposal', 'review');
      if (!Number.isInteger(command.score) || command.score < 1 || command.score > 5) refuse('A score is a whole number from 1 to 5', 'invalid_score');
      requireNoConflict(state, command.reviewerId);
      if (state.reviewers.has(command.reviewerId)) refuse('You have already reviewed this submission', 'already_reviewed');
      const { type: _type, at, ...review } = command;
      return [{ type: 'ProposalReviewed', data: { proposalId: state.proposalId, round: state.round, ...review, reviewedAt: at } }];
    }
    case 'RequestChanges':
      requireStatus(state, ['submitted'], 'proposal', 'request changes to');
      requireNoConflict(state, command.reviewerId);
      return [
        {
          type: 'ProposalChangesRequested',
          data: { proposalId: state.proposalId, round: state.round, reviewerId: command.reviewerId, comment: command.comment, requestedAt: command.at },
        },
      ];
    case 'ApproveProposal': {
      requireStatus(state, ['submitted'], 'proposal', 'approve');
      requireNoConflict(state, command.approverId);
      if (state.approvers.has(command.approverId)) refuse('You have already approved this submission', 'already_approved');
      const { proposalId, round } = state;
      const approvers = [...state.approvers, command.approverId];
      const events: ProposalEvent[] = [
        { type: 'ProposalApprovalRecorded', data: { proposalId, round, approverId: command.approverId, approvals: approvers.length, recordedAt: command.at } },
      ];
      if (approvers.length >= command.approvalsRequired) {
        events.push({ type: 'ProposalApproved', data: { proposalId, round, approvers, approvedAt: command.at } });
      }
      return events;
    }
    case 'RejectProposal':
      requireStatus(state, ['submitted'], 'proposal', 'reject');
      requireNoConflict(state, command.reviewerId);
      return [
        {
          type: 'ProposalRejected',
          data: { proposalId: state.proposalId, round: state.round, reviewerId: command.reviewerId, reason: command.reason, rejectedAt: command.at },
        },
      ];
    case 'DeclareConflict': {
      requireStatus(state, ['draft', 'submitted', 'changes_requested'], 'proposal', 'declare a conflict of interest on');
      if (state.declarations.has(command.staffId)) refuse('You have already declared on conflicts of interest with this proposal', 'conflict_already_declared');
      const reason = command.reason === null ? null : command.reason.trim();
      if (command.conflict && !reason) refuse('A conflict of interest needs a reason', 'conflict_reason_required');
      if (reason !== null && reason.length > CONFLICT_REASON_MAX_LENGTH) refuse(`A reason has at most ${CONFLICT_REASON_MAX_LENGTH} characters`, 'conflict_reason_too_long');
      return [{ type: 'ConflictOfInterestDeclared', data: { proposalId: state.proposalId, staffId: command.staffId, conflict: command.conflict, reason, declaredAt: command.at } }];
    }
  }
}

const drafted = ({ proposalId, institutionId, fields, declarations }: DraftedProposal): DraftedProposal => ({ proposalId, institutionId, fields, declarations });

export function evolveProposal(state: ProposalState, event: ProposalEvent): ProposalState {
  if (event.type === 'ProposalDrafted') {
    const { proposalId, institutionId, authorId: _author, draftedAt: _at, ...fields } = event.data;
    return { status: 'draft', proposalId, institutionId, fields: draftedFields(fields), declarations: new Map() };
  }
  // A proposal's stream starts with its draft: nothing else comes before it.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ProposalEdited':
      return { ...state, fields: { ...state.fields, ...event.data.changes } };
    case 'ProposalSubmitted':
    case 'ProposalResubmitted':
      return { ...drafted(state), status: 'submitted', round: event.data.round, reviewers: new Set(), approvers: new Set() };
    case 'ProposalWithdrawn':
      return { ...drafted(state), status: 'withdrawn' };
    case 'ProposalReviewed':
      if (state.status !== 'submitted') return state;
      return { ...state, reviewers: new Set(state.reviewers).add(event.data.reviewerId) };
    case 'ProposalChangesRequested':
      return { ...drafted(state), status: 'changes_requested', round: event.data.round };
    case 'ProposalApprovalRecorded':
      if (state.status !== 'submitted') return state;
      return { ...state, approvers: new Set(state.approvers).add(event.data.approverId) };
    case 'ProposalApproved':
      return { ...drafted(state), status: 'approved' };
    case 'ProposalRejected':
      return { ...drafted(state), status: 'rejected' };
    case 'ConflictOfInterestDeclared':
      return { ...state, declarations: new Map(state.declarations).set(event.data.staffId, event.data.conflict) };
  }
}

/** A draft's fields, `callId` null when it named no call. */
export const draftedFields = (fields: DraftedFields): ProposalFields => ({ ...fields, callId: fields.callId ?? null });

export const proposalDecider: Decider<ProposalCommand, ProposalState, ProposalEvent> = {
  initialState: initialProposalState,
  decide: decideProposal,
  evolve: evolveProposal,
};
