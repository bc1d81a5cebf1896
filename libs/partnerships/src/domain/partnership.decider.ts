import { type Decider, type NotStarted, refuse, requireStatus } from '@passerelle/event-store-core';
import type { PartnershipCommand } from './partnership.commands';
import type { PartnershipEvent, PartnershipStatus } from './partnership.events';
import { utcDate } from './partnership.terms';

export interface EstablishedPartnership {
  status: PartnershipStatus;
  partnershipId: string;
  proposalId: string;
  institutionId: string;
  /** The term (`YYYY-MM-DD`, both days included). A partnership established before terms were recorded starts on its approval's date and has no end until staff set one. */
  startsOn: string | null;
  endsOn: string | null;
  /** The last end-of-term reminder recorded: for which end, and how many days before it (the smallest sent for that end). */
  endReminder?: { endsOn: string; daysBefore: number };
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
    case 'RenewPartnership': {
      requireStatus(state, ['active', 'suspended', 'expired'], 'partnership', 'renew');
      if (state.endsOn !== null && command.endsOn <= state.endsOn) refuse(`A renewal must end after the current end, ${state.endsOn}`, 'term_not_extended');
      // An expired partnership renewed is active again, so its new end must not have passed already.
      if (state.status === 'expired' && command.endsOn <= utcDate(command.at)) refuse('A renewal of an expired partnership must end after today', 'term_not_extended');
      return [{ type: 'PartnershipRenewed', data: { partnershipId: state.partnershipId, previousEndsOn: state.endsOn, endsOn: command.endsOn, renewedAt: command.at } }];
    }
    case 'ChangePartnershipTerm': {
      requireStatus(state, ['active', 'suspended'], 'partnership', 'change the term of');
      const startsOn = command.startsOn ?? state.startsOn;
      const endsOn = command.endsOn ?? state.endsOn;
      if (startsOn !== null && endsOn !== null && startsOn >= endsOn) refuse(`A term must start before it ends (${startsOn} is not before ${endsOn})`, 'term_invalid');
      if (startsOn === state.startsOn && endsOn === state.endsOn) return [];
      return [{ type: 'PartnershipTermChanged', data: { partnershipId: state.partnershipId, startsOn, endsOn, changedAt: command.at } }];
    }
    case 'ExpirePartnership':
      if (state.status === 'none') refuse('This partnership does not exist', 'partnership_not_found');
      // Already expired, concluded, without an end, or not yet due: nothing to record, so a pass may run twice.
      if ((state.status !== 'active' && state.status !== 'suspended') || state.endsOn === null || state.endsOn > command.today) return [];
      return [{ type: 'PartnershipExpired', data: { partnershipId: state.partnershipId, endsOn: state.endsOn, expiredAt: command.at } }];
    case 'RecordEndReminderSent':
      if (state.status === 'none') refuse('This partnership does not exist', 'partnership_not_found');
      // The end moved since (renewed, corrected), or this reminder (or a later one) is recorded: nothing to record.
      if (state.endsOn !== command.endsOn) return [];
      if (state.endReminder?.endsOn === command.endsOn && state.endReminder.daysBefore <= command.daysBefore) return [];
      return [{ type: 'PartnershipEndReminderSent', data: { partnershipId: state.partnershipId, endsOn: command.endsOn, daysBefore: command.daysBefore, sentAt: command.at } }];
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
    const { partnershipId, proposalId, institutionId, establishedAt, startsOn, endsOn } = event.data;
    return { status: 'active', partnershipId, proposalId, institutionId, startsOn: startsOn ?? utcDate(establishedAt), endsOn: endsOn ?? null };
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
    case 'PartnershipRenewed':
      return { ...state, status: state.status === 'expired' ? 'active' : state.status, endsOn: event.data.endsOn };
    case 'PartnershipTermChanged':
      return { ...state, startsOn: event.data.startsOn, endsOn: event.data.endsOn };
    case 'PartnershipExpired':
      return { ...state, status: 'expired' };
    case 'PartnershipEndReminderSent':
      return { ...state, endReminder: { endsOn: event.data.endsOn, daysBefore: event.data.daysBefore } };
  }
}

export const partnershipDecider: Decider<PartnershipCommand, PartnershipState, PartnershipEvent> = {
  initialState: initialPartnershipState,
  decide: decidePartnership,
  evolve: evolvePartnership,
};
