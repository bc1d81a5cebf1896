import { type Decider, type NotStarted, refuse, requireExisting, requireNew } from '@passerelle/event-store-core';
import type { CallCommand } from './call.commands';
import type { CallEvent, CallFields, CallStatus } from './call.events';

/** A call as its stream says: `opened` until a CallClosed, whatever the time. */
export interface RecordedCall {
  status: 'opened' | 'closed';
  callId: string;
  fields: CallFields;
  /** By institution: the last deadline reminder recorded (the closing time it was for, and how many days before). */
  deadlineReminders: Record<string, { closesAt: string; daysBefore: number }>;
}

export type CallState = NotStarted | RecordedCall;

export const initialCallState = (): CallState => ({ status: 'none' });

/** The status of a recorded call at `now` (milliseconds): its closing time closes it even before the worker records it. */
export function callStatusAt(call: Pick<RecordedCall, 'status' | 'fields'>, now: number): CallStatus {
  if (call.status === 'closed' || now >= Date.parse(call.fields.closesAt)) return 'closed';
  return now < Date.parse(call.fields.opensAt) ? 'scheduled' : 'open';
}

export function decideCall(command: CallCommand, state: CallState): CallEvent[] {
  switch (command.type) {
    case 'OpenCall': {
      requireNew(state, 'call');
      const { opensAt, closesAt } = command.fields;
      if (!(Date.parse(opensAt) < Date.parse(closesAt))) refuse('A call must open before it closes', 'call_invalid');
      if (Date.parse(closesAt) <= Date.parse(command.at)) refuse('A call must close in the future', 'call_invalid');
      return [{ type: 'CallOpened', data: { callId: command.callId, ...command.fields, openedAt: command.at } }];
    }
    case 'CloseCall':
      requireExisting(state, 'call');
      if (callStatusAt(state, Date.parse(command.at)) === 'closed') refuse('This call is already closed', 'call_closed');
      return [{ type: 'CallClosed', data: { callId: state.callId, by: 'staff', reason: command.reason, closedAt: command.at } }];
    case 'CloseCallAtDeadline':
      requireExisting(state, 'call');
      // Closed already (by staff, or by an earlier run of this command), or not yet due: nothing to record.
      if (state.status === 'closed' || Date.parse(command.at) < Date.parse(state.fields.closesAt)) return [];
      return [{ type: 'CallClosed', data: { callId: state.callId, by: 'deadline', reason: null, closedAt: state.fields.closesAt } }];
    case 'RecordDeadlineReminderSent': {
      requireExisting(state, 'call');
      const { institutionId, closesAt, daysBefore } = command;
      if (closesAt !== state.fields.closesAt) return [];
      const last = state.deadlineReminders[institutionId];
      if (last?.closesAt === closesAt && last.daysBefore <= daysBefore) return [];
      return [{ type: 'CallDeadlineReminderSent', data: { callId: state.callId, institutionId, closesAt, daysBefore, sentAt: command.at } }];
    }
  }
}

export function evolveCall(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case 'CallOpened': {
      const { callId, openedAt: _at, ...fields } = event.data;
      return { status: 'opened', callId, fields, deadlineReminders: {} };
    }
    case 'CallClosed':
      return state.status === 'none' ? state : { ...state, status: 'closed' };
    case 'CallDeadlineReminderSent': {
      if (state.status === 'none') return state;
      const { institutionId, closesAt, daysBefore } = event.data;
      return { ...state, deadlineReminders: { ...state.deadlineReminders, [institutionId]: { closesAt, daysBefore } } };
    }
  }
}

export const callDecider: Decider<CallCommand, CallState, CallEvent> = {
  initialState: initialCallState,
  decide: decideCall,
  evolve: evolveCall,
};
