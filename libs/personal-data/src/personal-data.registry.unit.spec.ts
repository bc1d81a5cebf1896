import { PERSONAL_DATA_REGISTRY } from './personal-data.registry';
import { callPersonalData } from '@passerelle/calls';
import { invitationPersonalData } from '@passerelle/invitations';
import { queueActionPersonalData } from '@passerelle/operations';
import { partnerInstitutionPersonalData } from '@passerelle/partners';
import { partnershipPersonalData } from '@passerelle/partnerships';
import { privacyMigrationPersonalData, subjectPersonalData } from '@passerelle/privacy';
import { proposalPersonalData } from '@passerelle/proposals';
import { reportingPersonalData } from '@passerelle/reporting';
import { workshopPersonalData } from '@passerelle/workshops';

describe('the registry of personal data', () => {
  const declarations = [
    callPersonalData,
    invitationPersonalData,
    queueActionPersonalData,
    partnerInstitutionPersonalData,
    partnershipPersonalData,
    subjectPersonalData,
    privacyMigrationPersonalData,
    proposalPersonalData,
    reportingPersonalData,
    workshopPersonalData,
  ];

  it('holds every event type of every context, each declared by one context only', () => {
    const types = declarations.flatMap((declaration) => Object.keys(declaration));
    expect(new Set(types).size).toBe(types.length);
    expect([...PERSONAL_DATA_REGISTRY.keys()].sort()).toEqual([...types].sort());
  });

  it('finds the declaration of an event type and the context that declared it', () => {
    expect(PERSONAL_DATA_REGISTRY.get('InstitutionContactAdded')).toEqual({
      context: 'partners',
      fields: partnerInstitutionPersonalData.InstitutionContactAdded,
    });
    const issued = PERSONAL_DATA_REGISTRY.get('InvitationIssued');
    expect(issued?.fields.personal.map((field) => field.path)).toEqual(['fullName', 'email', 'organization', 'position']);
    expect(PERSONAL_DATA_REGISTRY.get('PersonalDataEncrypted')).toEqual({ context: 'privacy', fields: privacyMigrationPersonalData.PersonalDataEncrypted });
  });
});
