import type { CallFields } from './call.events';

export type CallCommand =
  | { type: 'OpenCall'; callId: string; fields: CallFields; at: string }
  /** Staff close a call before its time; a call already closed (by staff or by its time) is refused. */
  | { type: 'CloseCall'; reason: string | null; at: string }
  /** The worker closes a call whose closing time has passed: nothing to do when it is already closed, or not yet due. */
  | { type: 'CloseCallAtDeadline'; at: string }
  /** The reminders' engine sent an institution the reminder `daysBefore` days before `closesAt`: nothing to record for a moved or already recorded one. */
  | { type: 'RecordDeadlineReminderSent'; institutionId: string; closesAt: string; daysBefore: number; at: string };
