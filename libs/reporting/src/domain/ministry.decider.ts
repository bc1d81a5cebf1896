import type { Decider, NotStarted } from '@passerelle/event-store-core';
import type { MinistryCommand } from './ministry.commands';
import type { MinistryContact, MinistryEvent } from './ministry.events';

export type MinistryState = NotStarted | { status: 'set'; contact: MinistryContact };

/** One ministry contact per country (its stream is the country's): setting it again replaces it; the same values change nothing. */
export const ministryDecider: Decider<MinistryCommand, MinistryState, MinistryEvent> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    const { contact, at } = command;
    if (state.status === 'none') return [{ type: 'MinistryContactSet', data: { ...contact, setAt: at } }];
    const same =
      state.contact.ministryName === contact.ministryName && state.contact.email === contact.email && state.contact.language === contact.language;
    return same ? [] : [{ type: 'MinistryContactChanged', data: { ...contact, changedAt: at } }];
  },
  evolve(_state, event) {
    const { country, ministryName, email, language } = event.data;
    return { status: 'set', contact: { country, ministryName, email, language } };
  },
};
