import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { PartnershipEvent } from './partnership.events';

/**
 * Which fields of a partnership's events are personal (STYLE.md habit 5): none. A partnership is between
 * the programme and an institution; the reasons staff give for suspending, resuming or concluding it are
 * about that partnership, not about a person, as are its term's dates; the staff member who acted is in
 * the metadata as an account id.
 */
export const partnershipPersonalData: PersonalDataDeclaration<PartnershipEvent> = {
  PartnershipEstablished: { personal: [], notPersonal: ['partnershipId', 'proposalId', 'institutionId', 'establishedAt', 'startsOn', 'endsOn'] },
  PartnershipSuspended: { personal: [], notPersonal: ['partnershipId', 'reason', 'suspendedAt'] },
  PartnershipResumed: { personal: [], notPersonal: ['partnershipId', 'reason', 'resumedAt'] },
  PartnershipConcluded: { personal: [], notPersonal: ['partnershipId', 'reason', 'concludedAt'] },
  PartnershipRenewed: { personal: [], notPersonal: ['partnershipId', 'previousEndsOn', 'endsOn', 'renewedAt'] },
  PartnershipTermChanged: { personal: [], notPersonal: ['partnershipId', 'startsOn', 'endsOn', 'changedAt'] },
  PartnershipExpired: { personal: [], notPersonal: ['partnershipId', 'endsOn', 'expiredAt'] },
  PartnershipEndReminderSent: { personal: [], notPersonal: ['partnershipId', 'endsOn', 'sentAt'] },
};
