import type { StoredEvent } from '@passerelle/event-store-core';
import type { PartnershipEvent } from '../domain/partnership.events';
import { partnershipAsItWas } from './partnership-past.queries';

const S = 's-1';
const EVENTS: PartnershipEvent[] = [
  { type: 'PartnershipEstablished', data: { partnershipId: S, proposalId: 'p-1', institutionId: 'pi-1', establishedAt: '2030-01-01T10:00:00.000Z' } },
  { type: 'PartnershipSuspended', data: { partnershipId: S, reason: 'Audit', suspendedAt: '2030-02-01T10:00:00.000Z' } },
  { type: 'PartnershipResumed', data: { partnershipId: S, reason: null, resumedAt: '2030-03-01T10:00:00.000Z' } },
  { type: 'PartnershipConcluded', data: { partnershipId: S, reason: 'Done', concludedAt: '2030-04-01T10:00:00.000Z' } },
];
const stream = EVENTS.map((event, i) => ({ ...event, version: i + 1, recordedAt: new Date(2030, i, 1), metadata: { actor: null, correlationId: 'c', causationId: null } }) as StoredEvent<PartnershipEvent>);

describe('a partnership as it was', () => {
  it('is nothing before it was established', () => {
    expect(partnershipAsItWas([])).toBeNull();
  });

  it('is active, suspended, active again and concluded, version by version', () => {
    const base = { id: S, proposalId: 'p-1', institutionId: 'pi-1', establishedAt: '2030-01-01T10:00:00.000Z', startsOn: '2030-01-01', endsOn: null };
    expect([1, 2, 3, 4].map((version) => partnershipAsItWas(stream.slice(0, version)))).toEqual([
      { ...base, status: 'active', version: 1 },
      { ...base, status: 'suspended', version: 2 },
      { ...base, status: 'active', version: 3 },
      { ...base, status: 'concluded', version: 4 },
    ]);
  });

  it('follows the term: renewed, changed, expired', () => {
    const more: PartnershipEvent[] = [
      { type: 'PartnershipRenewed', data: { partnershipId: S, previousEndsOn: null, endsOn: '2031-01-01', renewedAt: '2030-05-01T00:00:00.000Z' } },
      { type: 'PartnershipTermChanged', data: { partnershipId: S, startsOn: '2029-06-01', endsOn: '2030-06-30', changedAt: '2030-05-02T00:00:00.000Z' } },
      { type: 'PartnershipExpired', data: { partnershipId: S, endsOn: '2030-06-30', expiredAt: '2030-07-01T00:00:00.000Z' } },
    ];
    const events = [...stream.slice(0, 1), ...more.map((event, i) => ({ ...stream[0], ...event, version: i + 2 }) as StoredEvent<PartnershipEvent>)];
    expect(partnershipAsItWas(events.slice(0, 2))).toMatchObject({ status: 'active', startsOn: '2030-01-01', endsOn: '2031-01-01', version: 2 });
    expect(partnershipAsItWas(events)).toMatchObject({ status: 'expired', startsOn: '2029-06-01', endsOn: '2030-06-30', version: 4 });
  });

  it('counts an event it does not know in the version only', () => {
    const unknown = { ...stream[1], type: 'PartnershipTermsSet', data: { partnershipId: S } } as unknown as StoredEvent<PartnershipEvent>;
    expect(partnershipAsItWas([stream[0], unknown])).toMatchObject({ status: 'active', version: 2 });
  });
});
