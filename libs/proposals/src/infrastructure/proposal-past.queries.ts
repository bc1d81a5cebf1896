import { Injectable } from '@nestjs/common';
import { eventsAt, type PointInTime, type StoredEvent } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { ProposalEvent } from '../domain/proposal.events';
import { proposalStream } from '../application/change-proposal';
import type { ProposalDetail } from './proposal.queries';

/**
 * A proposal as it was at a point of its past, folded from its stream (never the read model), its sealed
 * fields opened as every reader of the store sees them.
 */
@Injectable()
export class ProposalPastQueries {
  constructor(private readonly store: PostgresEventStore) {}

  /**
   * Null when it did not exist then, or belongs to another institution than `institutionId` (a partner's
   * view): the same answer either way. A partner's view leaves the declarations of conflicts of interest out.
   */
  async get(id: string, institutionId: string | null, point: PointInTime): Promise<ProposalDetail | null> {
    const past = proposalAsItWas(eventsAt(await this.store.readStream<ProposalEvent>(proposalStream(id)), point));
    if (!past) return null;
    if (institutionId === null) return past;
    return past.institutionId === institutionId ? withoutDeclarations(past) : null;
  }
}

/** What a partner reads of a proposal: no declarations, nor their events in the history (as today's detail). */
export function withoutDeclarations({ conflictDeclarations: _declarations, ...past }: ProposalDetail): ProposalDetail {
  return { ...past, history: past.history.filter((entry) => entry.type !== 'ConflictOfInterestDeclared') };
}

/**
 * A proposal's detail as it was after `events` (its stream's first events, in order), folded from the
 * stream alone, in the shape of today's detail for staff: fields, status, round, every round's reviews,
 * the approvals of the round under review, the declarations of conflicts of interest and the history so
 * far. Null when the stream had not begun. The decider's state is not enough here: it keeps who reviewed
 * and approved, not what they said nor when. Events of types this fold does not know count in the version
 * and the history and change nothing else.
 */
export function proposalAsItWas(events: readonly StoredEvent<ProposalEvent>[]): ProposalDetail | null {
  const [first] = events;
  if (first?.type !== 'ProposalDrafted') return null;
  const { proposalId, institutionId, authorId: _author, draftedAt: _at, ...fields } = first.data;
  let past: ProposalDetail = {
    id: proposalId,
    institutionId,
    ...fields,
    callId: fields.callId ?? null,
    status: 'draft',
    round: 0,
    createdAt: first.recordedAt.toISOString(),
    updatedAt: first.recordedAt.toISOString(),
    version: first.version,
    reviews: [],
    approvals: [],
    history: [],
    conflictDeclarations: [],
  };
  for (const event of events) {
    past = { ...evolve(past, event), updatedAt: event.recordedAt.toISOString(), version: event.version };
    past.history = [...past.history, { type: event.type, version: event.version, at: event.recordedAt.toISOString(), actor: event.metadata.actor }];
  }
  return past;
}

function evolve(past: ProposalDetail, event: ProposalEvent): ProposalDetail {
  switch (event.type) {
    case 'ProposalEdited':
      return { ...past, ...event.data.changes };
    case 'ProposalSubmitted':
    case 'ProposalResubmitted':
      return { ...past, status: 'submitted', round: event.data.round, approvals: [] };
    case 'ProposalWithdrawn':
      return { ...past, status: 'withdrawn' };
    case 'ProposalReviewed': {
      const { proposalId: _id, ...review } = event.data;
      return { ...past, reviews: [...past.reviews, review] };
    }
    case 'ProposalChangesRequested':
      return { ...past, status: 'changes_requested', approvals: [] };
    case 'ProposalApprovalRecorded':
      return { ...past, approvals: [...past.approvals, { approverId: event.data.approverId, round: event.data.round, at: event.data.recordedAt }] };
    case 'ProposalApproved':
      return { ...past, status: 'approved' };
    case 'ProposalRejected':
      return { ...past, status: 'rejected' };
    case 'ConflictOfInterestDeclared': {
      const { staffId, conflict, reason, declaredAt } = event.data;
      return { ...past, conflictDeclarations: [...(past.conflictDeclarations ?? []), { staffId, conflict, reason, declaredAt }] };
    }
    default:
      return past;
  }
}
