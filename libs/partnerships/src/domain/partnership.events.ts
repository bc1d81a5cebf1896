/** `expired`: its end date has come (the worker notices it by itself; a renewal makes it active again). */
export type PartnershipStatus = 'active' | 'suspended' | 'concluded' | 'expired';

export type PartnershipEvent =
  | {
      type: 'PartnershipEstablished';
      /**
       * `startsOn` (the approval's UTC date) and `endsOn` (plus the proposal's duration in months): absent
       * from partnerships established before terms were recorded.
       */
      data: { partnershipId: string; proposalId: string; institutionId: string; establishedAt: string; startsOn?: string; endsOn?: string };
    }
  | { type: 'PartnershipSuspended'; data: { partnershipId: string; reason: string | null; suspendedAt: string } }
  | { type: 'PartnershipResumed'; data: { partnershipId: string; reason: string | null; resumedAt: string } }
  | { type: 'PartnershipConcluded'; data: { partnershipId: string; reason: string | null; concludedAt: string } }
  /** Staff extended the term to a later end (`previousEndsOn` null when the partnership had no recorded end). */
  | { type: 'PartnershipRenewed'; data: { partnershipId: string; previousEndsOn: string | null; endsOn: string; renewedAt: string } }
  /** Staff corrected the term: both dates as they are after the change. */
  | { type: 'PartnershipTermChanged'; data: { partnershipId: string; startsOn: string | null; endsOn: string | null; changedAt: string } }
  /** The term's end passed: recorded once, by the worker's expiry pass. */
  | { type: 'PartnershipExpired'; data: { partnershipId: string; endsOn: string; expiredAt: string } }
  /** The reminder `daysBefore` (60, 30 or 7) days before the end `endsOn` went out: recorded once, by the reminder engine. */
  | { type: 'PartnershipEndReminderSent'; data: { partnershipId: string; endsOn: string; daysBefore: number; sentAt: string } };

export type PartnershipEventType = PartnershipEvent['type'];
