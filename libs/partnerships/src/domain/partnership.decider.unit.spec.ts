import { deciderSpec } from '@passerelle/testing';
import type { PartnershipCommand } from './partnership.commands';
import { partnershipDecider } from './partnership.decider';
import type { PartnershipEvent } from './partnership.events';

const spec = deciderSpec(partnershipDecider);
const T = 'pa-1';
const at = '2025-11-01T08:00:00Z';
const established: PartnershipEvent = {
  type: 'PartnershipEstablished',
  data: { partnershipId: T, proposalId: 'p-1', institutionId: 'pi-1', establishedAt: '2025-10-01T08:00:00Z' },
};
const suspended: PartnershipEvent = { type: 'PartnershipSuspended', data: { partnershipId: T, reason: 'Audit pending', suspendedAt: at } };
const resumed: PartnershipEvent = { type: 'PartnershipResumed', data: { partnershipId: T, reason: null, resumedAt: at } };
const concluded: PartnershipEvent = { type: 'PartnershipConcluded', data: { partnershipId: T, reason: 'Programme completed', concludedAt: at } };

const establish: PartnershipCommand = { type: 'EstablishPartnership', partnershipId: T, proposalId: 'p-1', institutionId: 'pi-1', at: '2025-10-01T08:00:00Z' };
const suspend: PartnershipCommand = { type: 'SuspendPartnership', reason: 'Audit pending', at };
const resume: PartnershipCommand = { type: 'ResumePartnership', reason: null, at };
const conclude: PartnershipCommand = { type: 'ConcludePartnership', reason: 'Programme completed', at };

describe('partnership decider', () => {
  describe('EstablishPartnership', () => {
    it('establishes an active partnership', () => spec([]).when(establish).then([established]));
    it('gives nothing when the same approval is seen again, whatever the status', () => {
      spec([established]).when(establish).thenNothing();
      spec([established, suspended]).when(establish).thenNothing();
      spec([established, concluded]).when(establish).thenNothing();
    });
    it('refuses the same partnership from another proposal', () =>
      spec([established]).when({ ...establish, proposalId: 'p-2' } as PartnershipCommand).thenRefuses('partnership_exists'));
  });

  describe('SuspendPartnership', () => {
    it('suspends an active partnership, also one resumed', () => {
      spec([established]).when(suspend).then([suspended]);
      spec([established, suspended, resumed]).when(suspend).then([suspended]);
    });
    it('refuses a suspended or concluded partnership', () => {
      spec([established, suspended]).when(suspend).thenRefuses('partnership_status');
      spec([established, concluded]).when(suspend).thenRefuses('partnership_status', 'Cannot suspend a partnership that is concluded');
    });
    it('refuses for an unknown partnership', () => spec([]).when(suspend).thenRefuses('partnership_not_found', 'This partnership does not exist'));
  });

  describe('ResumePartnership', () => {
    it('resumes a suspended partnership', () => spec([established, suspended]).when(resume).then([resumed]));
    it('refuses an active or concluded partnership', () => {
      spec([established]).when(resume).thenRefuses('partnership_status', 'Cannot resume a partnership that is active');
      spec([established, suspended, resumed]).when(resume).thenRefuses('partnership_status');
      spec([established, suspended, concluded]).when(resume).thenRefuses('partnership_status');
    });
    it('refuses for an unknown partnership', () => spec([]).when(resume).thenRefuses('partnership_not_found'));
  });

  describe('ConcludePartnership', () => {
    it('concludes an active or a suspended partnership', () => {
      spec([established]).when(conclude).then([concluded]);
      spec([established, suspended]).when(conclude).then([concluded]);
      spec([established, suspended, resumed]).when(conclude).then([concluded]);
    });
    it('refuses to conclude twice', () => spec([established, concluded]).when(conclude).thenRefuses('partnership_status'));
    it('refuses for an unknown partnership', () => spec([]).when(conclude).thenRefuses('partnership_not_found'));
  });

  it('keeps the proposal, the institution and the status', () => {
    const state = [established, suspended].reduce(partnershipDecider.evolve, partnershipDecider.initialState());
    // Established before terms were recorded: it starts on its approval's date, with no end.
    expect(state).toEqual({ status: 'suspended', partnershipId: 'pa-1', proposalId: 'p-1', institutionId: 'pi-1', startsOn: '2025-10-01', endsOn: null });
  });

  describe('terms', () => {
    const withTerm: PartnershipEvent = { type: 'PartnershipEstablished', data: { ...established.data, startsOn: '2025-10-01', endsOn: '2026-10-01' } as never };
    const expired: PartnershipEvent = { type: 'PartnershipExpired', data: { partnershipId: T, endsOn: '2026-10-01', expiredAt: '2026-10-02T00:00:00.000Z' } };
    const expire = (today: string): PartnershipCommand => ({ type: 'ExpirePartnership', today, at: `${today}T00:00:00.000Z` });

    it('establishes with the term it is given', () =>
      spec([]).when({ ...establish, startsOn: '2025-10-01', endsOn: '2026-10-01' } as PartnershipCommand).then([withTerm]));
    it('renews to a later end only; a partnership without an end takes any', () => {
      spec([withTerm]).when({ type: 'RenewPartnership', endsOn: '2027-01-31', at }).then([
        { type: 'PartnershipRenewed', data: { partnershipId: T, previousEndsOn: '2026-10-01', endsOn: '2027-01-31', renewedAt: at } },
      ]);
      spec([withTerm]).when({ type: 'RenewPartnership', endsOn: '2026-10-01', at }).thenRefuses('term_not_extended');
      spec([established]).when({ type: 'RenewPartnership', endsOn: '2026-01-01', at }).then([
        { type: 'PartnershipRenewed', data: { partnershipId: T, previousEndsOn: null, endsOn: '2026-01-01', renewedAt: at } },
      ]);
      spec([withTerm, concluded]).when({ type: 'RenewPartnership', endsOn: '2027-01-31', at }).thenRefuses('partnership_status');
    });
    it('expires once, active or suspended, on its end date', () => {
      spec([withTerm]).when(expire('2026-09-30')).thenNothing();
      spec([withTerm]).when(expire('2026-10-01')).then([{ ...expired, data: { ...expired.data, expiredAt: '2026-10-01T00:00:00.000Z' } }]);
      spec([withTerm, suspended]).when(expire('2026-10-02')).then([expired]);
      spec([withTerm, expired]).when(expire('2026-10-03')).thenNothing();
      spec([withTerm, concluded]).when(expire('2026-10-03')).thenNothing();
      spec([established]).when(expire('2099-01-01')).thenNothing();
    });
    it('makes an expired partnership active again by a renewal that has not passed', () => {
      spec([withTerm, expired]).when({ type: 'RenewPartnership', endsOn: '2026-12-31', at: '2027-01-05T00:00:00.000Z' }).thenRefuses('term_not_extended');
      const renewed: PartnershipEvent = { type: 'PartnershipRenewed', data: { partnershipId: T, previousEndsOn: '2026-10-01', endsOn: '2027-12-31', renewedAt: at } };
      spec([withTerm, expired]).when({ type: 'RenewPartnership', endsOn: '2027-12-31', at }).then([renewed]);
      expect([withTerm, suspended, expired, renewed].reduce(partnershipDecider.evolve, partnershipDecider.initialState())).toMatchObject({ status: 'active', endsOn: '2027-12-31' });
    });
    it('changes either date, keeping the start before the end, not once expired', () => {
      spec([withTerm]).when({ type: 'ChangePartnershipTerm', startsOn: '2025-09-01', at }).then([
        { type: 'PartnershipTermChanged', data: { partnershipId: T, startsOn: '2025-09-01', endsOn: '2026-10-01', changedAt: at } },
      ]);
      spec([withTerm]).when({ type: 'ChangePartnershipTerm', endsOn: '2025-10-01', at }).thenRefuses('term_invalid');
      spec([withTerm]).when({ type: 'ChangePartnershipTerm', endsOn: '2026-10-01', at }).thenNothing();
      spec([withTerm, expired]).when({ type: 'ChangePartnershipTerm', endsOn: '2027-10-01', at }).thenRefuses('partnership_status');
    });
    it('records each end-of-term reminder once, for the current end only, a later one after an earlier', () => {
      const remind = (endsOn: string, daysBefore: number): PartnershipCommand => ({ type: 'RecordEndReminderSent', endsOn, daysBefore, at });
      const sent = (endsOn: string, daysBefore: number): PartnershipEvent => ({ type: 'PartnershipEndReminderSent', data: { partnershipId: T, endsOn, daysBefore, sentAt: at } });
      spec([withTerm]).when(remind('2026-10-01', 60)).then([sent('2026-10-01', 60)]);
      spec([withTerm, sent('2026-10-01', 60)]).when(remind('2026-10-01', 60)).thenNothing();
      spec([withTerm, sent('2026-10-01', 60)]).when(remind('2026-10-01', 30)).then([sent('2026-10-01', 30)]);
      spec([withTerm, sent('2026-10-01', 7)]).when(remind('2026-10-01', 30)).thenNothing();
      // The end moved since the reminder was found: nothing to record for the old end; the new end's are its own.
      const renewed: PartnershipEvent = { type: 'PartnershipRenewed', data: { partnershipId: T, previousEndsOn: '2026-10-01', endsOn: '2027-01-31', renewedAt: at } };
      spec([withTerm, sent('2026-10-01', 60), renewed]).when(remind('2026-10-01', 30)).thenNothing();
      spec([withTerm, sent('2026-10-01', 60), renewed]).when(remind('2027-01-31', 60)).then([sent('2027-01-31', 60)]);
      spec([]).when(remind('2026-10-01', 60)).thenRefuses('partnership_not_found');
    });
  });

  it('holds nothing before it is established', () => expect(partnershipDecider.initialState()).toEqual({ status: 'none' }));
});
