export type PartnershipStatus = 'active' | 'suspended' | 'concluded';

export type PartnershipEvent =
  | { type: 'PartnershipEstablished'; data: { partnershipId: string; proposalId: string; institutionId: string; establishedAt: string } }
  | { type: 'PartnershipSuspended'; data: { partnershipId: string; reason: string | null; suspendedAt: string } }
  | { type: 'PartnershipResumed'; data: { partnershipId: string; reason: string | null; resumedAt: string } }
  | { type: 'PartnershipConcluded'; data: { partnershipId: string; reason: string | null; concludedAt: string } };

export type PartnershipEventType = PartnershipEvent['type'];
