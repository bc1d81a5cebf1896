import type { StoredEvent } from '@passerelle/event-store-core';
import type { ProposalEvent, ProposalFields } from '../domain/proposal.events';
import { proposalAsItWas, withoutDeclarations } from './proposal-past.queries';

const P = 'p-1';
const fields: ProposalFields = {
  title: 'AI for rural clinics',
  summary: 'Triage models for district hospitals',
  sectors: ['healthcare'],
  countries: ['SN'],
  workshopId: null,
  durationMonths: 18,
  budget: { amount: 250000, currency: 'EUR' },
  callId: null,
};
const EVENTS: [ProposalEvent, string | null][] = [
  [{ type: 'ProposalDrafted', data: { proposalId: P, institutionId: 'pi-1', authorId: 'u-partner', ...fields, draftedAt: '2030-01-01T10:00:00.000Z' } }, 'u-partner'],
  [{ type: 'ProposalEdited', data: { proposalId: P, changes: { durationMonths: 24 }, editorId: 'u-partner', editedAt: '2030-01-02T10:00:00.000Z' } }, 'u-partner'],
  [{ type: 'ProposalSubmitted', data: { proposalId: P, round: 1, submitterId: 'u-partner', submittedAt: '2030-01-03T10:00:00.000Z' } }, 'u-partner'],
  [{ type: 'ConflictOfInterestDeclared', data: { proposalId: P, staffId: 'staff-a', conflict: false, reason: null, declaredAt: '2030-01-03T11:00:00.000Z' } }, 'staff-a'],
  [
    { type: 'ProposalReviewed', data: { proposalId: P, round: 1, reviewerId: 'staff-a', score: 3, recommendation: 'revise', comment: 'Budget', reviewedAt: '2030-01-04T10:00:00.000Z' } },
    'staff-a',
  ],
  [{ type: 'ProposalApprovalRecorded', data: { proposalId: P, round: 1, approverId: 'staff-b', approvals: 1, recordedAt: '2030-01-04T11:00:00.000Z' } }, 'staff-b'],
  [{ type: 'ProposalChangesRequested', data: { proposalId: P, round: 1, reviewerId: 'staff-a', comment: 'Detail it', requestedAt: '2030-01-05T10:00:00.000Z' } }, 'staff-a'],
  [{ type: 'ProposalEdited', data: { proposalId: P, changes: { budget: null, workshopId: 'w-1' }, editorId: 'u-partner', editedAt: '2030-01-06T10:00:00.000Z' } }, 'u-partner'],
  [{ type: 'ProposalResubmitted', data: { proposalId: P, round: 2, submitterId: 'u-partner', resubmittedAt: '2030-01-07T10:00:00.000Z' } }, 'u-partner'],
  [{ type: 'ProposalApprovalRecorded', data: { proposalId: P, round: 2, approverId: 'staff-a', approvals: 1, recordedAt: '2030-01-08T10:00:00.000Z' } }, 'staff-a'],
  [{ type: 'ProposalApproved', data: { proposalId: P, round: 2, approvers: ['staff-a'], approvedAt: '2030-01-08T10:00:00.000Z' } }, 'staff-a'],
];

/** The stream as the store reads it back: each event recorded at the time its data says. */
const stream = EVENTS.map(([event, actor], i) => {
  const at = Object.entries(event.data).find(([key]) => key.endsWith('At'))![1] as string;
  return { ...event, version: i + 1, recordedAt: new Date(at), metadata: { actor, correlationId: 'c', causationId: null } } as StoredEvent<ProposalEvent>;
});
const upTo = (version: number) => proposalAsItWas(stream.slice(0, version))!;

describe('a proposal as it was', () => {
  it('is nothing before its draft', () => {
    expect(proposalAsItWas([])).toBeNull();
  });

  it('is the draft as written, at version 1', () => {
    expect(upTo(1)).toEqual({
      id: P,
      institutionId: 'pi-1',
      ...fields,
      status: 'draft',
      round: 0,
      createdAt: '2030-01-01T10:00:00.000Z',
      updatedAt: '2030-01-01T10:00:00.000Z',
      version: 1,
      reviews: [],
      approvals: [],
      history: [{ type: 'ProposalDrafted', version: 1, at: '2030-01-01T10:00:00.000Z', actor: 'u-partner' }],
      conflictDeclarations: [],
    });
  });

  it('follows edits, submission, declarations, reviews and approvals of the round', () => {
    expect(upTo(2)).toMatchObject({ durationMonths: 24, status: 'draft', version: 2, updatedAt: '2030-01-02T10:00:00.000Z' });
    expect(upTo(3)).toMatchObject({ status: 'submitted', round: 1, conflictDeclarations: [] });
    expect(upTo(4)).toMatchObject({ version: 4, conflictDeclarations: [{ staffId: 'staff-a', conflict: false, reason: null, declaredAt: '2030-01-03T11:00:00.000Z' }] });
    expect(upTo(6)).toMatchObject({
      status: 'submitted',
      reviews: [{ round: 1, reviewerId: 'staff-a', score: 3, recommendation: 'revise', comment: 'Budget', reviewedAt: '2030-01-04T10:00:00.000Z' }],
      approvals: [{ approverId: 'staff-b', round: 1, at: '2030-01-04T11:00:00.000Z' }],
    });
  });

  it('drops the round\'s approvals when sent back, keeps every round\'s reviews, and ends approved', () => {
    expect(upTo(7)).toMatchObject({ status: 'changes_requested', round: 1, approvals: [] });
    expect(upTo(8)).toMatchObject({ budget: null, workshopId: 'w-1', status: 'changes_requested' });
    expect(upTo(9)).toMatchObject({ status: 'submitted', round: 2, approvals: [] });
    const approved = upTo(11);
    expect(approved).toMatchObject({ status: 'approved', round: 2, version: 11, approvals: [{ approverId: 'staff-a', round: 2, at: '2030-01-08T10:00:00.000Z' }] });
    expect(approved.reviews).toHaveLength(1);
    expect(approved.history.map((h) => h.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('leaves the declarations and their events out of what a partner reads', () => {
    const partners = withoutDeclarations(upTo(5));
    expect(partners).not.toHaveProperty('conflictDeclarations');
    expect(partners.history.map((h) => h.type)).toEqual(['ProposalDrafted', 'ProposalEdited', 'ProposalSubmitted', 'ProposalReviewed']);
    expect(partners).toMatchObject({ version: 5, status: 'submitted', reviews: upTo(5).reviews });
  });

  it('counts an event it does not know in the version and the history only', () => {
    const unknown = { ...stream[1], type: 'ProposalNoted', data: { proposalId: P }, version: 2 } as unknown as StoredEvent<ProposalEvent>;
    expect(proposalAsItWas([stream[0], unknown])).toEqual({
      ...upTo(1),
      version: 2,
      updatedAt: '2030-01-02T10:00:00.000Z',
      history: [...upTo(1).history, { type: 'ProposalNoted', version: 2, at: '2030-01-02T10:00:00.000Z', actor: 'u-partner' }],
    });
  });
});
