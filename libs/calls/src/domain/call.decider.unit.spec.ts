import { deciderSpec } from '@passerelle/testing';
import type { CallCommand } from './call.commands';
import { callDecider, callStatusAt, type RecordedCall } from './call.decider';
import type { CallEvent, CallFields } from './call.events';

const spec = deciderSpec(callDecider);
const C = 'c-1';
const fields: CallFields = {
  title: 'Digital health 2031',
  summary: 'Proposals on digital health in rural districts',
  sectors: ['health'],
  countries: ['ZM', 'SN'],
  opensAt: '2031-01-15T09:00:00.000Z',
  closesAt: '2031-03-31T17:00:00.000Z',
  workshopId: null,
  budgetCeiling: { amount: 100000, currency: 'USD' },
};
const openedAt = '2031-01-10T08:00:00.000Z';
const opened: CallEvent = { type: 'CallOpened', data: { callId: C, ...fields, openedAt } };
const open: CallCommand = { type: 'OpenCall', callId: C, fields, at: openedAt };
const closedByStaff: CallEvent = { type: 'CallClosed', data: { callId: C, by: 'staff', reason: 'Budget reallocated', closedAt: '2031-02-01T10:00:00.000Z' } };
const closedAtDeadline: CallEvent = { type: 'CallClosed', data: { callId: C, by: 'deadline', reason: null, closedAt: fields.closesAt } };

describe('the call decider', () => {
  describe('OpenCall', () => {
    it('opens a call never opened', () => {
      spec().when(open).then([opened]);
    });

    it('refuses to open it twice', () => {
      spec([opened]).when(open).thenRefuses('call_exists');
    });

    it('refuses a call that closes before it opens, or at the same time', () => {
      spec().when({ ...open, fields: { ...fields, closesAt: fields.opensAt } }).thenRefuses('call_invalid', 'A call must open before it closes');
      spec().when({ ...open, fields: { ...fields, opensAt: fields.closesAt, closesAt: fields.opensAt } }).thenRefuses('call_invalid');
    });

    it('refuses a call whose closing time has passed', () => {
      spec().when({ ...open, at: fields.closesAt }).thenRefuses('call_invalid', 'A call must close in the future');
    });

    it('opens a call whose opening time has passed (open at once)', () => {
      const late = { ...fields, opensAt: '2031-01-01T00:00:00.000Z' };
      spec().when({ ...open, fields: late }).then([{ type: 'CallOpened', data: { callId: C, ...late, openedAt } }]);
    });
  });

  describe('CloseCall (staff)', () => {
    const close = (at: string): CallCommand => ({ type: 'CloseCall', reason: 'Budget reallocated', at });

    it('closes a scheduled or open call early, with the reason', () => {
      spec([opened]).when(close('2031-02-01T10:00:00.000Z')).then([closedByStaff]);
      spec([opened]).when(close('2031-01-12T10:00:00.000Z')).then([{ ...closedByStaff, data: { ...closedByStaff.data, closedAt: '2031-01-12T10:00:00.000Z' } }]);
    });

    it('refuses a call already closed, by staff, by the worker, or by its time before the worker recorded it', () => {
      spec([opened, closedByStaff]).when(close('2031-02-02T10:00:00.000Z')).thenRefuses('call_closed', 'This call is already closed');
      spec([opened, closedAtDeadline]).when(close('2031-04-01T10:00:00.000Z')).thenRefuses('call_closed');
      spec([opened]).when(close(fields.closesAt)).thenRefuses('call_closed');
    });

    it('refuses a call that does not exist', () => {
      spec().when(close(openedAt)).thenRefuses('call_not_found');
    });
  });

  describe('CloseCallAtDeadline (the worker)', () => {
    const atDeadline = (at: string): CallCommand => ({ type: 'CloseCallAtDeadline', at });

    it('closes an open call once its closing time has come, at that time', () => {
      spec([opened]).when(atDeadline(fields.closesAt)).then([closedAtDeadline]);
      spec([opened]).when(atDeadline('2031-04-02T00:00:00.000Z')).then([closedAtDeadline]);
    });

    it('records nothing before the closing time, nor for a call already closed: a second run is a no-op', () => {
      spec([opened]).when(atDeadline('2031-03-31T16:59:59.999Z')).thenNothing();
      spec([opened, closedAtDeadline]).when(atDeadline('2031-04-02T00:00:00.000Z')).thenNothing();
      spec([opened, closedByStaff]).when(atDeadline('2031-04-02T00:00:00.000Z')).thenNothing();
    });

    it('refuses a call that does not exist', () => {
      spec().when(atDeadline(openedAt)).thenRefuses('call_not_found');
    });
  });

  describe('status at a time', () => {
    const call: RecordedCall = { status: 'opened', callId: C, fields, deadlineReminders: {} };
    const at = (iso: string) => Date.parse(iso);

    it('is scheduled before its opening time, open from it, closed from its closing time', () => {
      expect(callStatusAt(call, at('2031-01-15T08:59:59.999Z'))).toBe('scheduled');
      expect(callStatusAt(call, at(fields.opensAt))).toBe('open');
      expect(callStatusAt(call, at('2031-03-31T16:59:59.999Z'))).toBe('open');
      expect(callStatusAt(call, at(fields.closesAt))).toBe('closed');
    });

    it('is closed once recorded closed, whatever the time', () => {
      const state = [opened, closedByStaff].reduce(callDecider.evolve, callDecider.initialState());
      expect(state).toEqual({ ...call, status: 'closed' });
      expect(callStatusAt(state as RecordedCall, at('2031-01-01T00:00:00.000Z'))).toBe('closed');
    });
  });
});

describe('the call decider: deadline reminders', () => {
  const remind = (institutionId: string, daysBefore: number, closesAt = fields.closesAt): CallCommand => ({
    type: 'RecordDeadlineReminderSent',
    institutionId,
    closesAt,
    daysBefore,
    at: '2031-03-24T18:00:00.000Z',
  });
  const sent = (institutionId: string, daysBefore: number): CallEvent => ({
    type: 'CallDeadlineReminderSent',
    data: { callId: C, institutionId, closesAt: fields.closesAt, daysBefore, sentAt: '2031-03-24T18:00:00.000Z' },
  });

  it('records each institution\'s 7-day and 1-day reminders once each, in that order', () => {
    spec([opened]).when(remind('i-1', 7)).then([sent('i-1', 7)]);
    spec([opened, sent('i-1', 7)]).when(remind('i-1', 7)).thenNothing();
    spec([opened, sent('i-1', 7)]).when(remind('i-2', 7)).then([sent('i-2', 7)]);
    spec([opened, sent('i-1', 7)]).when(remind('i-1', 1)).then([sent('i-1', 1)]);
    spec([opened, sent('i-1', 1)]).when(remind('i-1', 7)).thenNothing();
  });

  it('records nothing for a closing time the call does not have', () => {
    spec([opened]).when(remind('i-1', 7, '2031-04-30T17:00:00.000Z')).thenNothing();
  });

  it('refuses a call never opened', () => {
    spec().when(remind('i-1', 7)).thenRefuses('call_not_found');
  });
});
