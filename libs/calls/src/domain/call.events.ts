/**
 * `scheduled` before it opens, `open` from its opening time until it closes, `closed` once staff closed
 * it or its closing time passed (whether or not the worker has recorded it yet).
 */
export type CallStatus = 'scheduled' | 'open' | 'closed';
export const CALL_STATUSES: readonly CallStatus[] = ['scheduled', 'open', 'closed'];

/** The most a proposal to the call may ask for, in one currency (ISO 4217). */
export interface BudgetCeiling {
  amount: number;
  currency: string;
}

/** What staff write when they open a call for proposals. Times are ISO 8601, in UTC. */
export interface CallFields {
  title: string;
  summary: string;
  sectors: string[];
  countries: string[];
  opensAt: string;
  closesAt: string;
  workshopId: string | null;
  budgetCeiling: BudgetCeiling | null;
}

/** Who closed a call: staff, early, or the worker at its closing time. */
export type CallClosedBy = 'staff' | 'deadline';

export type CallEvent =
  | { type: 'CallOpened'; data: CallFields & { callId: string; openedAt: string } }
  /** Once per call: `closedAt` is the call's closing time when `by` is `deadline`, the time staff closed it otherwise. */
  | { type: 'CallClosed'; data: { callId: string; by: CallClosedBy; reason: string | null; closedAt: string } }
  /** An institution with unsubmitted proposals to the call was reminded, `daysBefore` (7 or 1) days before `closesAt`. */
  | { type: 'CallDeadlineReminderSent'; data: { callId: string; institutionId: string; closesAt: string; daysBefore: number; sentAt: string } };

export type CallEventType = CallEvent['type'];
