import { deciderSpec } from '@passerelle/testing';
import type { DomainError } from '@passerelle/event-store-core';
import type { ProposalCall, ProposalCommand } from './proposal.commands';
import { proposalDecider } from './proposal.decider';
import type { ProposalEvent, ProposalFields } from './proposal.events';

const spec = deciderSpec(proposalDecider);
const P = 'p-1';
const at = '2025-09-10T08:00:00Z';
const fields: ProposalFields = {
  title: 'AI for rural clinics',
  summary: 'Triage models for district hospitals',
  sectors: ['healthcare'],
  countries: ['SN', 'CI'],
  workshopId: 'w-1',
  durationMonths: 18,
  budget: { amount: 250000, currency: 'EUR' },
  callId: null,
};
/** A draft that names no call records no callId. */
const { callId: _noCall, ...draftedFields } = fields;
const drafted: ProposalEvent = {
  type: 'ProposalDrafted',
  data: { proposalId: P, institutionId: 'pi-1', authorId: 'u-partner', ...draftedFields, draftedAt: '2025-09-01T08:00:00Z' },
};
const submitted: ProposalEvent = { type: 'ProposalSubmitted', data: { proposalId: P, round: 1, submitterId: 'u-partner', submittedAt: at } };
const changesRequested = (round: number): ProposalEvent => ({
  type: 'ProposalChangesRequested',
  data: { proposalId: P, round, reviewerId: 'staff-a', comment: 'Detail the budget', requestedAt: at },
});
const resubmitted = (round: number): ProposalEvent => ({ type: 'ProposalResubmitted', data: { proposalId: P, round, submitterId: 'u-partner', resubmittedAt: at } });
const reviewed = (reviewerId: string, round = 1): ProposalEvent => ({
  type: 'ProposalReviewed',
  data: { proposalId: P, round, reviewerId, score: 4, recommendation: 'approve', comment: 'Sound', reviewedAt: at },
});
const approvalRecorded = (approverId: string, approvals: number, round = 1): ProposalEvent => ({
  type: 'ProposalApprovalRecorded',
  data: { proposalId: P, round, approverId, approvals, recordedAt: at },
});
const approved = (approvers: string[], round = 1): ProposalEvent => ({ type: 'ProposalApproved', data: { proposalId: P, round, approvers, approvedAt: at } });
const rejected: ProposalEvent = { type: 'ProposalRejected', data: { proposalId: P, round: 1, reviewerId: 'staff-a', reason: 'Out of scope', rejectedAt: at } };
const withdrawn: ProposalEvent = { type: 'ProposalWithdrawn', data: { proposalId: P, reason: null, actorId: 'u-partner', withdrawnAt: at } };

const create: ProposalCommand = { type: 'CreateProposal', proposalId: P, institutionId: 'pi-1', authorId: 'u-partner', fields, at: '2025-09-01T08:00:00Z' };
const edit = (changes: Partial<ProposalFields>): ProposalCommand => ({ type: 'EditProposal', changes, editorId: 'u-partner', at });
const submit: ProposalCommand = { type: 'SubmitProposal', submitterId: 'u-partner', at };
const withdraw: ProposalCommand = { type: 'WithdrawProposal', reason: null, actorId: 'u-partner', at };
const review = (reviewerId: string, score = 4): ProposalCommand => ({ type: 'ReviewProposal', reviewerId, score, recommendation: 'approve', comment: 'Sound', at });
const requestChanges: ProposalCommand = { type: 'RequestChanges', reviewerId: 'staff-a', comment: 'Detail the budget', at };
const approve = (approverId: string, approvalsRequired = 2): ProposalCommand => ({ type: 'ApproveProposal', approverId, approvalsRequired, at });
const reject: ProposalCommand = { type: 'RejectProposal', reviewerId: 'staff-a', reason: 'Out of scope', at };

const declare = (staffId: string, conflict: boolean, reason: string | null = null): ProposalCommand => ({ type: 'DeclareConflict', staffId, conflict, reason, at });

/** Every command but CreateProposal, each of which would be accepted in some status. */
const laterCommands: ProposalCommand[] = [edit({ title: 'New' }), edit({}), submit, withdraw, review('staff-z'), requestChanges, approve('staff-z'), reject, declare('staff-y', false)];
const declared = (staffId: string, conflict = false, reason: string | null = null): ProposalEvent => ({
  type: 'ConflictOfInterestDeclared',
  data: { proposalId: P, staffId, conflict, reason, declaredAt: at },
});
/** The staff the commands below act as, each declared free of conflict. */
const noConflicts = ['staff-a', 'staff-b', 'staff-c', 'staff-z'].map((staffId) => declared(staffId));

const underReview = [drafted, ...noConflicts, submitted];
const sentBack = [drafted, ...noConflicts, submitted, changesRequested(1)];
const finals: Record<string, ProposalEvent[]> = {
  approved: [drafted, submitted, approvalRecorded('staff-a', 1, 1), approved(['staff-a'])],
  rejected: [drafted, submitted, rejected],
  withdrawn: [drafted, withdrawn],
};

describe('proposal decider', () => {
  describe('CreateProposal', () => {
    it('drafts a new proposal', () => spec([]).when(create).then([drafted]));
    it('refuses to create it twice', () => spec([drafted]).when(create).thenRefuses('proposal_exists', 'This proposal already exists'));
  });

  describe('EditProposal', () => {
    const edited = (changes: Partial<ProposalFields>): ProposalEvent => ({ type: 'ProposalEdited', data: { proposalId: P, changes, editorId: 'u-partner', editedAt: at } });
    it('edits a draft', () => spec([drafted]).when(edit({ title: 'AI for clinics', budget: null })).then([edited({ title: 'AI for clinics', budget: null })]));
    it('edits a proposal sent back for changes', () =>
      spec(sentBack).when(edit({ budget: { amount: 200000, currency: 'EUR' } })).then([edited({ budget: { amount: 200000, currency: 'EUR' } })]));
    it('gives nothing for an empty change set', () => spec([drafted]).when(edit({})).thenNothing());
    it('keeps only the fields that really change', () => {
      spec([drafted]).when(edit({ title: fields.title, sectors: ['healthcare'], budget: { currency: 'EUR', amount: 250000 } })).thenNothing();
      spec([drafted]).when(edit({ title: undefined, summary: fields.summary, countries: ['SN'] })).then([edited({ countries: ['SN'] })]);
    });
    it('edits on top of earlier edits', () => spec([drafted, edited({ workshopId: null })]).when(edit({ workshopId: null })).thenNothing());
    it('refuses while under review', () => spec(underReview).when(edit({ title: 'x' })).thenRefuses('proposal_status', 'Cannot edit a proposal that is submitted'));
    it('refuses for an unknown proposal', () => spec([]).when(edit({ title: 'x' })).thenRefuses('proposal_not_found', 'This proposal does not exist'));
  });

  describe('SubmitProposal', () => {
    it('submits a draft as round 1', () => spec([drafted]).when(submit).then([submitted]));
    it('resubmits after changes were requested, as the next round', () => {
      spec(sentBack).when(submit).then([resubmitted(2)]);
      spec([...sentBack, resubmitted(2), changesRequested(2)]).when(submit).then([resubmitted(3)]);
    });
    it('refuses to submit twice', () => {
      spec(underReview).when(submit).thenRefuses('proposal_status');
      spec([...sentBack, resubmitted(2)]).when(submit).thenRefuses('proposal_status');
    });
    it('refuses for an unknown proposal', () => spec([]).when(submit).thenRefuses('proposal_not_found'));
  });

  describe('WithdrawProposal', () => {
    it('withdraws before a decision', () => {
      spec([drafted]).when(withdraw).then([withdrawn]);
      spec(underReview).when(withdraw).then([withdrawn]);
      spec(sentBack).when(withdraw).then([withdrawn]);
      spec([...sentBack, resubmitted(2)]).when(withdraw).then([withdrawn]);
    });
    it('carries the reason given', () =>
      spec([drafted])
        .when({ ...withdraw, reason: 'Funding lost' } as ProposalCommand)
        .then([{ type: 'ProposalWithdrawn', data: { proposalId: P, reason: 'Funding lost', actorId: 'u-partner', withdrawnAt: at } }]));
    it('refuses for an unknown proposal', () => spec([]).when(withdraw).thenRefuses('proposal_not_found'));
  });

  describe('ReviewProposal', () => {
    it('records a review of the current round', () => {
      spec(underReview).when(review('staff-a')).then([reviewed('staff-a')]);
      spec([...underReview, reviewed('staff-a')]).when(review('staff-b')).then([reviewed('staff-b')]);
    });
    it('takes a new review from the same staff member in the next round', () =>
      spec([...underReview, reviewed('staff-a'), changesRequested(1), resubmitted(2)]).when(review('staff-a')).then([reviewed('staff-a', 2)]));
    it('refuses a second review in the same round', () => spec([...underReview, reviewed('staff-a')]).when(review('staff-a')).thenRefuses('already_reviewed'));
    it('refuses a score outside 1..5', () => {
      spec(underReview).when(review('staff-a', 0)).thenRefuses('invalid_score');
      spec(underReview).when(review('staff-a', 6)).thenRefuses('invalid_score');
      spec(underReview).when(review('staff-a', 2.5)).thenRefuses('invalid_score');
    });
    it('accepts both ends of the scale', () => {
      spec(underReview).when(review('staff-a', 1)).then([{ ...reviewed('staff-a'), data: { ...reviewed('staff-a').data, score: 1 } } as ProposalEvent]);
      spec(underReview).when(review('staff-a', 5)).then([{ ...reviewed('staff-a'), data: { ...reviewed('staff-a').data, score: 5 } } as ProposalEvent]);
    });
    it('refuses a draft or a proposal sent back', () => {
      spec([drafted]).when(review('staff-a')).thenRefuses('proposal_status');
      spec(sentBack).when(review('staff-a')).thenRefuses('proposal_status', 'Cannot review a proposal that is changes requested');
    });
    it('refuses for an unknown proposal', () => spec([]).when(review('staff-a')).thenRefuses('proposal_not_found'));
  });

  describe('RequestChanges', () => {
    it('sends a submitted proposal back', () => {
      spec(underReview).when(requestChanges).then([changesRequested(1)]);
      spec([...sentBack, resubmitted(2)]).when(requestChanges).then([changesRequested(2)]);
    });
    it('refuses a draft or a proposal already sent back', () => {
      spec([drafted]).when(requestChanges).thenRefuses('proposal_status');
      spec(sentBack).when(requestChanges).thenRefuses('proposal_status');
    });
    it('refuses for an unknown proposal', () => spec([]).when(requestChanges).thenRefuses('proposal_not_found'));
  });

  describe('ApproveProposal', () => {
    it('records a first approval without approving', () => spec(underReview).when(approve('staff-a')).then([approvalRecorded('staff-a', 1)]));
    it('approves when enough distinct staff have approved', () =>
      spec([...underReview, approvalRecorded('staff-a', 1)]).when(approve('staff-b')).then([approvalRecorded('staff-b', 2), approved(['staff-a', 'staff-b'])]));
    it('approves at once when one approval is required', () =>
      spec(underReview).when(approve('staff-a', 1)).then([approvalRecorded('staff-a', 1), approved(['staff-a'])]));
    it('refuses the same staff member twice in a round', () =>
      spec([...underReview, approvalRecorded('staff-a', 1)]).when(approve('staff-a')).thenRefuses('already_approved'));
    it('no longer counts the approvals of a round sent back for changes', () => {
      const history = [...underReview, approvalRecorded('staff-a', 1), changesRequested(1), resubmitted(2)];
      spec(history).when(approve('staff-b')).then([approvalRecorded('staff-b', 1, 2)]);
      spec(history).when(approve('staff-a')).then([approvalRecorded('staff-a', 1, 2)]);
      spec([...history, approvalRecorded('staff-a', 1, 2)]).when(approve('staff-b')).then([approvalRecorded('staff-b', 2, 2), approved(['staff-a', 'staff-b'], 2)]);
    });
    it('refuses a draft or a proposal sent back', () => {
      spec([drafted]).when(approve('staff-a')).thenRefuses('proposal_status');
      spec([...underReview, approvalRecorded('staff-a', 1), changesRequested(1)]).when(approve('staff-b')).thenRefuses('proposal_status');
    });
    it('refuses for an unknown proposal', () => spec([]).when(approve('staff-a')).thenRefuses('proposal_not_found'));
  });

  describe('RejectProposal', () => {
    it('rejects a submitted proposal, even with approvals in the round', () => {
      spec(underReview).when(reject).then([rejected]);
      spec([...underReview, approvalRecorded('staff-b', 1)]).when(reject).then([rejected]);
    });
    it('refuses a draft or a proposal sent back', () => {
      spec([drafted]).when(reject).thenRefuses('proposal_status');
      spec(sentBack).when(reject).thenRefuses('proposal_status');
    });
    it('refuses for an unknown proposal', () => spec([]).when(reject).thenRefuses('proposal_not_found'));
  });

  describe('DeclareConflict', () => {
    it('records no conflict, in draft, under review or sent back', () => {
      spec([drafted]).when(declare('staff-y', false)).then([declared('staff-y')]);
      spec(underReview).when(declare('staff-y', false)).then([declared('staff-y')]);
      spec(sentBack).when(declare('staff-y', false)).then([declared('staff-y')]);
    });
    it('records a conflict with its reason, trimmed', () =>
      spec(underReview).when(declare('staff-y', true, '  Co-author of the lead  ')).then([declared('staff-y', true, 'Co-author of the lead')]));
    it('refuses a conflict without a reason', () => {
      spec(underReview).when(declare('staff-y', true)).thenRefuses('conflict_reason_required');
      spec(underReview).when(declare('staff-y', true, '   ')).thenRefuses('conflict_reason_required');
    });
    it('refuses a reason too long', () => spec(underReview).when(declare('staff-y', true, 'x'.repeat(1001))).thenRefuses('conflict_reason_too_long'));
    it('refuses a second declaration, whatever it says, in any round', () => {
      spec(underReview).when(declare('staff-a', true, 'Changed my mind')).thenRefuses('conflict_already_declared');
      spec([...sentBack, resubmitted(2), declared('staff-y', true, 'Spouse')]).when(declare('staff-y', false)).thenRefuses('conflict_already_declared');
    });
    it('refuses for an unknown proposal', () => spec([]).when(declare('staff-y', false)).thenRefuses('proposal_not_found'));
  });

  describe('conflicts of interest', () => {
    const decisions = (staffId: string): ProposalCommand[] => [
      review(staffId),
      { ...requestChanges, reviewerId: staffId },
      approve(staffId),
      { ...reject, reviewerId: staffId },
    ];
    it.each(decisions('staff-y').map((command) => [command.type, command] as const))('refuses %s without a declaration', (_type, command) =>
      spec(underReview).when(command).thenRefuses('conflict_undeclared'));
    it.each(decisions('staff-y').map((command) => [command.type, command] as const))('refuses %s for good after declaring a conflict', (_type, command) => {
      const conflicted = [...underReview, declared('staff-y', true, 'Former employer')];
      spec(conflicted).when(command).thenRefuses('conflict_of_interest', 'You declared a conflict of interest with this proposal');
      spec([...conflicted, changesRequested(1), resubmitted(2)]).when(command).thenRefuses('conflict_of_interest');
    });
    it('lets the staff without a conflict approve, the conflicted one counting for nothing', () => {
      const history = [...underReview, declared('staff-y', true, 'Former employer'), approvalRecorded('staff-a', 1)];
      spec(history).when(approve('staff-y')).thenRefuses('conflict_of_interest');
      spec(history).when(approve('staff-b')).then([approvalRecorded('staff-b', 2), approved(['staff-a', 'staff-b'])]);
    });
    it('keeps the declarations in the state across rounds', () => {
      const state = [...sentBack, resubmitted(2), declared('staff-y', true, 'Spouse')].reduce(proposalDecider.evolve, proposalDecider.initialState());
      expect(state.status !== 'none' && [...state.declarations]).toEqual([...noConflicts.map((e) => [(e.data as { staffId: string }).staffId, false]), ['staff-y', true]]);
    });
  });

  describe.each(Object.entries(finals))('once %s', (_status, history) => {
    it.each(laterCommands.map((command) => [command.type, command] as const))('refuses %s', (_type, command) =>
      spec(history).when(command).thenRefuses('proposal_status'));
    it('refuses to create it again', () => spec(history).when(create).thenRefuses('proposal_exists'));
  });

  describe('a call for proposals', () => {
    const CALL = 'call-1';
    const call = (overrides: Partial<ProposalCall> = {}): ProposalCall => ({
      callId: CALL,
      open: true,
      sectors: ['Healthcare', 'education'],
      countries: ['SN', 'CI', 'ZM'],
      budgetCeiling: { amount: 300000, currency: 'EUR' },
      ...overrides,
    });
    const toCall = { ...fields, callId: CALL };
    const { callId: _none, ...draftedToCallFields } = toCall;
    const draftedToCall: ProposalEvent = { type: 'ProposalDrafted', data: { ...(drafted.data as object), ...draftedToCallFields, callId: CALL } as never };
    const createToCall = (overrides: Partial<ProposalFields> = {}, given: ProposalCall | null = call()): ProposalCommand => ({ ...create, fields: { ...toCall, ...overrides }, call: given } as ProposalCommand);
    const submit = (given: ProposalCall | null): ProposalCommand => ({ type: 'SubmitProposal', submitterId: 'u-partner', at, call: given });
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (err) {
        return { code: (err as DomainError).code, errors: (err as DomainError).errors };
      }
      return null;
    };

    it('drafts a proposal to an open call within its terms (sectors compared without regard to case), recording the call', () => {
      spec().when(createToCall()).then([draftedToCall]);
    });

    it('refuses a call that is not open, or that does not exist', () => {
      spec().when(createToCall({}, call({ open: false }))).thenRefuses('call_closed', 'This call for proposals is not open');
      spec().when(createToCall({}, null)).thenRefuses('call_not_found');
      spec().when(createToCall({}, call({ callId: 'call-2' }))).thenRefuses('call_not_found');
    });

    it('names every field outside the terms: sectors, countries, a budget over the ceiling or in another currency', () => {
      const decide = (overrides: Partial<ProposalFields>) => () => proposalDecider.decide(createToCall(overrides), proposalDecider.initialState());
      expect(refusal(decide({ sectors: ['healthcare', 'mining'], countries: ['SN', 'KZ'] }))).toEqual({
        code: 'call_ineligible',
        errors: [
          { field: 'sectors', message: "not a sector of this call: mining (the call's: Healthcare, education)" },
          { field: 'countries', message: "not a country of this call: KZ (the call's: SN, CI, ZM)" },
        ],
      });
      expect(refusal(decide({ budget: { amount: 300000.01, currency: 'EUR' } }))).toEqual({ code: 'call_ineligible', errors: [{ field: 'budget.amount', message: "over this call's ceiling of 300000 EUR" }] });
      expect(refusal(decide({ budget: { amount: 1000, currency: 'USD' } }))).toEqual({ code: 'call_ineligible', errors: [{ field: 'budget.currency', message: "this call's budgets are in EUR" }] });
      expect(refusal(decide({ budget: { amount: 300000, currency: 'EUR' } }))).toBeNull();
      // A draft may leave its budget for later.
      expect(refusal(decide({ budget: null }))).toBeNull();
    });

    it('submits to an open call within its terms only; a budget is required under a ceiling', () => {
      spec([draftedToCall]).when(submit(call())).then([{ ...submitted }]);
      spec([draftedToCall]).when(submit(call({ open: false }))).thenRefuses('call_closed');
      spec([draftedToCall]).when(submit(call({ countries: ['ZM'] }))).thenRefuses('call_ineligible');
      const withoutBudget: ProposalEvent = { type: 'ProposalEdited', data: { proposalId: P, changes: { budget: null }, editorId: 'u-partner', editedAt: at } };
      const state = [draftedToCall, withoutBudget].reduce(proposalDecider.evolve, proposalDecider.initialState());
      expect(refusal(() => proposalDecider.decide(submit(call()), state))).toEqual({ code: 'call_ineligible', errors: [{ field: 'budget', message: 'this call caps budgets at 300000 EUR: give one' }] });
      expect(refusal(() => proposalDecider.decide(submit(call({ budgetCeiling: null })), state))).toBeNull();
    });

    it('submits a proposal to no call without asking for one', () => {
      spec([drafted]).when(submit(null)).then([submitted]);
    });

    it('checks an edit: naming a call asks that it be open; leaving the terms of the open call is refused; a closed call leaves edits alone', () => {
      const editWith = (changes: Partial<ProposalFields>, given: ProposalCall | null): ProposalCommand => ({ type: 'EditProposal', changes, editorId: 'u-partner', at, call: given });
      spec([drafted]).when(editWith({ callId: CALL }, call({ open: false }))).thenRefuses('call_closed');
      spec([drafted]).when(editWith({ callId: CALL }, call())).then([{ type: 'ProposalEdited', data: { proposalId: P, changes: { callId: CALL }, editorId: 'u-partner', editedAt: at } }]);
      spec([draftedToCall]).when(editWith({ countries: ['BR'] }, call())).thenRefuses('call_ineligible');
      spec([draftedToCall]).when(editWith({ countries: ['BR'] }, call({ open: false }))).then([{ type: 'ProposalEdited', data: { proposalId: P, changes: { countries: ['BR'] }, editorId: 'u-partner', editedAt: at } }]);
      spec([draftedToCall]).when(editWith({ callId: null }, null)).then([{ type: 'ProposalEdited', data: { proposalId: P, changes: { callId: null }, editorId: 'u-partner', editedAt: at } }]);
    });

    it('holds the call in its state, and none for a draft that named none', () => {
      expect([draftedToCall].reduce(proposalDecider.evolve, proposalDecider.initialState())).toMatchObject({ fields: { callId: CALL } });
      expect([drafted].reduce(proposalDecider.evolve, proposalDecider.initialState())).toMatchObject({ fields: { callId: null } });
    });
  });

  describe('state', () => {
    const noConflictsMap = () => new Map(['staff-a', 'staff-b', 'staff-c', 'staff-z'].map((id) => [id, false]));
    const stateAfter = (history: ProposalEvent[]) => history.reduce(proposalDecider.evolve, proposalDecider.initialState());

    it('holds nothing before the draft, then the draft’s fields', () => {
      expect(proposalDecider.initialState()).toEqual({ status: 'none' });
      expect(stateAfter([drafted])).toEqual({ status: 'draft', proposalId: 'p-1', institutionId: 'pi-1', fields, declarations: new Map() });
    });

    it('keeps status, institution, round, fields and the current round’s reviewers and approvers', () => {
      const history = [drafted, submitted, reviewed('staff-a'), changesRequested(1), resubmitted(2), reviewed('staff-b', 2), approvalRecorded('staff-c', 1, 2)];
      const reviewers = new Set(['staff-b']);
      const approvers = new Set(['staff-c']);
      expect(stateAfter(history)).toEqual({ status: 'submitted', proposalId: 'p-1', institutionId: 'pi-1', fields, declarations: new Map(), round: 2, reviewers, approvers });
    });

    it('keeps the round it was sent back in, and the edits made since', () => {
      const edited: ProposalEvent = { type: 'ProposalEdited', data: { proposalId: P, changes: { durationMonths: 12 }, editorId: 'u-partner', editedAt: at } };
      const sentBackState = { status: 'changes_requested', proposalId: 'p-1', institutionId: 'pi-1', fields: { ...fields, durationMonths: 12 }, declarations: noConflictsMap(), round: 1 };
      expect(stateAfter([...sentBack, edited])).toEqual(sentBackState);
    });

    it('keeps no round, reviewers or approvers once decided or withdrawn', () => {
      expect(stateAfter(finals.approved)).toEqual({ status: 'approved', proposalId: 'p-1', institutionId: 'pi-1', fields, declarations: new Map() });
      expect(stateAfter(finals.rejected)).toEqual({ status: 'rejected', proposalId: 'p-1', institutionId: 'pi-1', fields, declarations: new Map() });
      expect(stateAfter(finals.withdrawn)).toEqual({ status: 'withdrawn', proposalId: 'p-1', institutionId: 'pi-1', fields, declarations: new Map() });
    });
  });
});
