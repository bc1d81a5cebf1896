import { personalDataRegistry } from '@passerelle/event-store-core';
import { callPersonalData } from '@passerelle/calls';
import { invitationPersonalData } from '@passerelle/invitations';
import { queueActionPersonalData } from '@passerelle/operations';
import { partnerInstitutionPersonalData } from '@passerelle/partners';
import { partnershipPersonalData } from '@passerelle/partnerships';
import { privacyMigrationPersonalData, subjectPersonalData } from '@passerelle/privacy';
import { proposalPersonalData } from '@passerelle/proposals';
import { reportingPersonalData } from '@passerelle/reporting';
import { workshopPersonalData } from '@passerelle/workshops';

/**
 * Every stored event type of the product, to which of its fields are personal and whose they are: what
 * the encryption of personal fields, erasure and access requests read. Each context declares its own
 * events next to them; a new context adds its declaration here, and the coverage test fails until it does.
 * This library sits above the contexts: none of them may import it.
 */
export const PERSONAL_DATA_REGISTRY = personalDataRegistry({
  calls: callPersonalData,
  invitations: invitationPersonalData,
  operations: queueActionPersonalData,
  partners: partnerInstitutionPersonalData,
  partnerships: partnershipPersonalData,
  privacy: { ...subjectPersonalData, ...privacyMigrationPersonalData },
  proposals: proposalPersonalData,
  reporting: reportingPersonalData,
  workshops: workshopPersonalData,
});
