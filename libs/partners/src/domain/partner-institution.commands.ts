import type { InstitutionContact } from './partner-institution.events';

export type PartnerInstitutionCommand =
  | { type: 'RegisterInstitution'; institutionId: string; name: string; country: string; website: string | null; contact: InstitutionContact; at: string }
  | { type: 'AddContact'; contact: InstitutionContact; at: string };
