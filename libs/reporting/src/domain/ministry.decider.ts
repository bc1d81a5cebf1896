import type { Decider } from '@passerelle/event-store-core';
import type { MinistryCommand } from './ministry.commands';
import type { MinistryContact, MinistryEvent } from './ministry.events';

export interface MinistryState {
  contact: MinistryContact | null;
}

/** One ministry contact per country (its stream is the country's): setting it again replaces it; the same values change nothing. */
export const ministryDecider: Decider<MinistryCommand, MinistryState, MinistryEvent> = {
  initialState: () => ({ contact: null }),
  decide(command, state) {
    const { contact, at } = command;
    if (!state.contact) return [{ type: 'MinistryContactSet', data: { ...contact, setAt: at } }];
    const same =
      state.contact.ministryName === contact.ministryName && state.contact.email === contact.email && state.contact.language === contact.language;
    return same ? [] : [{ type: 'MinistryContactChanged', data: { ...contact, changedAt: at } }];
  },
  evolve(_state, event) {
    const { country, ministryName, email, language } = event.data;
    return { contact: { country, ministryName, email, language } };
  },
};
