export type PartnershipCommand =
  /** Sent by the policy that follows proposal approvals; it may see an approval twice. */
  | { type: 'EstablishPartnership'; partnershipId: string; proposalId: string; institutionId: string; at: string }
  | { type: 'SuspendPartnership'; reason: string | null; at: string }
  | { type: 'ResumePartnership'; reason: string | null; at: string }
  | { type: 'ConcludePartnership'; reason: string | null; at: string };
