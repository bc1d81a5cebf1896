export type PartnershipCommand =
  /** Sent by the policy that follows proposal approvals; it may see an approval twice. `endsOn` null when the duration is unknown. */
  | { type: 'EstablishPartnership'; partnershipId: string; proposalId: string; institutionId: string; at: string; startsOn?: string; endsOn?: string }
  | { type: 'SuspendPartnership'; reason: string | null; at: string }
  | { type: 'ResumePartnership'; reason: string | null; at: string }
  | { type: 'ConcludePartnership'; reason: string | null; at: string }
  /** A later end of the term (staff). */
  | { type: 'RenewPartnership'; endsOn: string; at: string }
  /** A correction of the term (staff): either date or both. */
  | { type: 'ChangePartnershipTerm'; startsOn?: string; endsOn?: string; at: string }
  /** Sent by the worker's expiry pass with today's UTC date (the app's Clock); nothing when not yet due or already expired. */
  | { type: 'ExpirePartnership'; today: string; at: string }
  /** Sent by the reminder engine once the reminder `daysBefore` days before `endsOn` went out; nothing when the end has moved or it was recorded. */
  | { type: 'RecordEndReminderSent'; endsOn: string; daysBefore: number; at: string };
