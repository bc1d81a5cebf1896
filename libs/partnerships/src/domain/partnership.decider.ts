import { type Decider, type NotStarted, refuse, requireStatus } from '@passerelle/event-store-core';
import type { PartnershipCommand } from './partnership.commands';
import type { PartnershipEvent, PartnershipStatus } from './partnership.events';

export interface EstablishedPartnership {
  status: PartnershipStatus;
  partnershipId: string;
  proposalId: string;
  institutionId: string;
}

export type PartnershipState = NotStarted | EstablishedPartnership;

export const initialPartnershipState = (): PartnershipState => ({ status: 'none' });

export function decidePartnership(command: PartnershipCommand, state: PartnershipState): PartnershipEvent[] {
  switch (command.type) {
    case 'EstablishPartnership': {
      if (state.status !== 'none') {
        if (state.proposalId !== command.proposalId) refuse('This partnership was established from another proposal', 'partnership_exists');
        return [];
      }
      const { type: _type, at, ...data } = command;
      return [{ type: 'PartnershipEstablished', data: { ...data, establishedAt: at } }];
    }
    case 'SuspendPartnership':
      requireStatus(state, ['active'], 'partnership', 'suspend');
      return [{ type: 'PartnershipSuspended', data: { partnershipId: state.partnershipId, reason: command.reason, suspendedAt: command.at } }];
    case 'ResumePartnership':
      requireStatus(state, ['suspended'], 'partnership', 'resume');
      return [{ type: 'PartnershipResumed', data: { partnershipId: state.partnershipId, reason: command.reason, resumedAt: command.at } }];
    case 'ConcludePartnership':
      requireStatus(state, ['active', 'suspended'], 'partnership', 'conclude');
      return [{ type: 'PartnershipConcluded', data: { partnershipId: state.partnershipId, reason: command.reason, concludedAt: command.at } }];
  }
}

export function evolvePartnership(state: PartnershipState, event: PartnershipEvent): PartnershipState {
  if (event.type === 'PartnershipEstablished') {
    const { partnershipId, proposalId, institutionId } = event.data;
    return { status: 'active', partnershipId, proposalId, institutionId };
  }
  // A partnership's stream starts when it is established: nothing else comes before it.
  if (state.status === 'none') return state;
  switch (event.type) {
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
