import { deciderSpec } from '@passerelle/testing';
import { ministryDecider } from './ministry.decider';
import type { MinistryEvent } from './ministry.events';

const spec = deciderSpec(ministryDecider);
const contact = { country: 'ZM', ministryName: 'Ministry of Technology and Science', email: 'ict@mots.gov.zm', language: 'en' };
const set: MinistryEvent = { type: 'MinistryContactSet', data: { ...contact, setAt: '2025-10-01T00:00:00Z' } };

describe('ministry decider', () => {
  it('sets the first contact of a country', () =>
    spec([]).when({ type: 'SetMinistryContact', contact, at: '2025-10-01T00:00:00Z' }).then([set]));
  it('changes it when a value differs', () =>
    spec([set]).when({ type: 'SetMinistryContact', contact: { ...contact, language: 'fr' }, at: '2025-10-02T00:00:00Z' }).then([
      { type: 'MinistryContactChanged', data: { ...contact, language: 'fr', changedAt: '2025-10-02T00:00:00Z' } },
    ]));
  it('changes nothing when the same contact is set again', () =>
    spec([set]).when({ type: 'SetMinistryContact', contact, at: '2025-10-03T00:00:00Z' }).thenNothing());
  it('holds no contact before the first, then the latest one', () => {
    const changed: MinistryEvent = { type: 'MinistryContactChanged', data: { ...contact, email: 'minister@mots.gov.zm', changedAt: '2025-10-02T00:00:00Z' } };
    expect(ministryDecider.initialState()).toEqual({ status: 'none' });
    expect([set, changed].reduce(ministryDecider.evolve, ministryDecider.initialState())).toEqual({
      status: 'set',
      contact: { country: 'ZM', ministryName: 'Ministry of Technology and Science', email: 'minister@mots.gov.zm', language: 'en' },
    });
  });
});
