/** A person who speaks for a partner institution; `userId` is the account they activate. */
export interface InstitutionContact {
  userId: string;
  fullName: string;
  email: string;
  language: string;
}

export type PartnerInstitutionEvent =
  | {
      type: 'InstitutionRegistered';
      data: { institutionId: string; name: string; country: string; website: string | null; contact: InstitutionContact; registeredAt: string };
    }
  | { type: 'InstitutionContactAdded'; data: { institutionId: string; contact: InstitutionContact; addedAt: string } };

export type PartnerInstitutionEventType = PartnerInstitutionEvent['type'];
