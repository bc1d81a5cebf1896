import { type Decider, DomainError } from '@passerelle/event-store-core';
import type { PartnerInstitutionCommand } from './partner-institution.commands';
import type { InstitutionContact, PartnerInstitutionEvent } from './partner-institution.events';

export interface PartnerInstitutionState {
  exists: boolean;
  institutionId: string;
  name: string;
  country: string;
  /** E-mails lower-cased: one contact per address per institution, whatever its case. */
  contacts: InstitutionContact[];
}

export const initialPartnerInstitutionState = (): PartnerInstitutionState => ({
  exists: false,
  institutionId: '',
  name: '',
  country: '',
  contacts: [],
});

function refuse(message: string, code: string): never {
  throw new DomainError(message, code);
}

const normalised = (contact: InstitutionContact): InstitutionContact => ({ ...contact, email: contact.email.toLowerCase() });

export function decidePartnerInstitution(command: PartnerInstitutionCommand, state: PartnerInstitutionState): PartnerInstitutionEvent[] {
  switch (command.type) {
    case 'RegisterInstitution': {
      if (state.exists) refuse('This institution already exists', 'institution_exists');
      const { type: _type, at, ...data } = command;
      return [{ type: 'InstitutionRegistered', data: { ...data, registeredAt: at } }];
    }
    case 'AddContact': {
      if (!state.exists) refuse('This institution does not exist', 'institution_not_found');
      const email = command.contact.email.toLowerCase();
      if (state.contacts.some((c) => c.email === email)) refuse(`Already a contact of this institution: ${command.contact.email}`, 'duplicate_contact');
      if (state.contacts.some((c) => c.userId === command.contact.userId)) refuse('This user is already a contact of this institution', 'duplicate_contact');
      return [{ type: 'InstitutionContactAdded', data: { institutionId: state.institutionId, contact: command.contact, addedAt: command.at } }];
    }
  }
}

export function evolvePartnerInstitution(state: PartnerInstitutionState, event: PartnerInstitutionEvent): PartnerInstitutionState {
  switch (event.type) {
    case 'InstitutionRegistered':
      return {
        ...state,
        exists: true,
        institutionId: event.data.institutionId,
        name: event.data.name,
        country: event.data.country,
        contacts: [normalised(event.data.contact)],
      };
    case 'InstitutionContactAdded':
      return { ...state, contacts: [...state.contacts, normalised(event.data.contact)] };
  }
}

export const partnerInstitutionDecider: Decider<PartnerInstitutionCommand, PartnerInstitutionState, PartnerInstitutionEvent> = {
  initialState: initialPartnerInstitutionState,
  decide: decidePartnerInstitution,
  evolve: evolvePartnerInstitution,
};
