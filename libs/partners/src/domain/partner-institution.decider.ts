import { type Decider, type NotStarted, refuse, requireExisting, requireNew } from '@passerelle/event-store-core';
import type { PartnerInstitutionCommand } from './partner-institution.commands';
import type { InstitutionContact, PartnerInstitutionEvent } from './partner-institution.events';

export interface RegisteredInstitution {
  status: 'registered';
  institutionId: string;
  name: string;
  country: string;
  /** E-mails lower-cased: one contact per address per institution, whatever its case. */
  contacts: InstitutionContact[];
}

export type PartnerInstitutionState = NotStarted | RegisteredInstitution;

export const initialPartnerInstitutionState = (): PartnerInstitutionState => ({ status: 'none' });

const normalised = (contact: InstitutionContact): InstitutionContact => ({ ...contact, email: contact.email.toLowerCase() });

export function decidePartnerInstitution(command: PartnerInstitutionCommand, state: PartnerInstitutionState): PartnerInstitutionEvent[] {
  switch (command.type) {
    case 'RegisterInstitution': {
      requireNew(state, 'institution');
      const { type: _type, at, ...data } = command;
      return [{ type: 'InstitutionRegistered', data: { ...data, registeredAt: at } }];
    }
    case 'AddContact': {
      requireExisting(state, 'institution');
      const email = command.contact.email.toLowerCase();
      if (state.contacts.some((c) => c.email === email)) refuse(`Already a contact of this institution: ${command.contact.email}`, 'duplicate_contact');
      if (state.contacts.some((c) => c.userId === command.contact.userId)) refuse('This user is already a contact of this institution', 'duplicate_contact');
      return [{ type: 'InstitutionContactAdded', data: { institutionId: state.institutionId, contact: command.contact, addedAt: command.at } }];
    }
  }
}

export function evolvePartnerInstitution(state: PartnerInstitutionState, event: PartnerInstitutionEvent): PartnerInstitutionState {
  if (event.type === 'InstitutionRegistered') {
    const { institutionId, name, country, contact } = event.data;
    return { status: 'registered', institutionId, name, country, contacts: [normalised(contact)] };
  }
  // An institution's stream starts when it is registered: nothing else comes before it.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'InstitutionContactAdded':
      return { ...state, contacts: [...state.contacts, normalised(event.data.contact)] };
  }
}

export const partnerInstitutionDecider: Decider<PartnerInstitutionCommand, PartnerInstitutionState, PartnerInstitutionEvent> = {
  initialState: initialPartnerInstitutionState,
  decide: decidePartnerInstitution,
  evolve: evolvePartnerInstitution,
};
