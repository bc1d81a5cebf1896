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
    expect(state).toEqual({ status: 'suspended', partnershipId: 'pa-1', proposalId: 'p-1', institutionId: 'pi-1' });
  });

  it('holds nothing before it is established', () => expect(partnershipDecider.initialState()).toEqual({ status: 'none' }));
});
