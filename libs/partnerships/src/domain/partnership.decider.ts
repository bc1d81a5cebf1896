import { type Decider, DomainError } from '@passerelle/event-store-core';
import type { PartnershipCommand } from './partnership.commands';
import type { PartnershipEvent, PartnershipStatus } from './partnership.events';

export interface PartnershipState {
  exists: boolean;
  partnershipId: string;
  proposalId: string;
  institutionId: string;
  status: PartnershipStatus | 'none';
}

export const initialPartnershipState = (): PartnershipState => ({
  exists: false,
  partnershipId: '',
  proposalId: '',
  institutionId: '',
  status: 'none',
});

function refuse(message: string, code: string): never {
  throw new DomainError(message, code);
}

function requireStatus(state: PartnershipState, allowed: PartnershipStatus[], action: string): void {
  if (!state.exists) refuse('This partnership does not exist', 'partnership_not_found');
  if (!allowed.includes(state.status as PartnershipStatus)) refuse(`Cannot ${action} a partnership that is ${state.status}`, 'partnership_status');
}

export function decidePartnership(command: PartnershipCommand, state: PartnershipState): PartnershipEvent[] {
  switch (command.type) {
    case 'EstablishPartnership': {
      if (state.exists) {
        if (state.proposalId !== command.proposalId) refuse('This partnership was established from another proposal', 'partnership_exists');
        return [];
      }
      const { type: _type, at, ...data } = command;
      return [{ type: 'PartnershipEstablished', data: { ...data, establishedAt: at } }];
    }
    case 'SuspendPartnership':
      requireStatus(state, ['active'], 'suspend');
      return [{ type: 'PartnershipSuspended', data: { partnershipId: state.partnershipId, reason: command.reason, suspendedAt: command.at } }];
    case 'ResumePartnership':
      requireStatus(state, ['suspended'], 'resume');
      return [{ type: 'PartnershipResumed', data: { partnershipId: state.partnershipId, reason: command.reason, resumedAt: command.at } }];
    case 'ConcludePartnership':
      requireStatus(state, ['active', 'suspended'], 'conclude');
      return [{ type: 'PartnershipConcluded', data: { partnershipId: state.partnershipId, reason: command.reason, concludedAt: command.at } }];
  }
}

export function evolvePartnership(state: PartnershipState, event: PartnershipEvent): PartnershipState {
  switch (event.type) {
    case 'PartnershipEstablished':
      return {
        ...state,
        exists: true,
        partnershipId: event.data.partnershipId,
        proposalId: event.data.proposalId,
        institutionId: event.data.institutionId,
        status: 'active',
      };
    case 'PartnershipSuspended':
      return { ...state, status: 'suspended' };
    case 'PartnershipResumed':
      return { ...state, status: 'active' };
    case 'PartnershipConcluded':
      return { ...state, status: 'concluded' };
  }
}

export const partnershipDecider: Decider<PartnershipCommand, PartnershipState, PartnershipEvent> = {
  initialState: initialPartnershipState,
  decide: decidePartnership,
  evolve: evolvePartnership,
};
