import type { PersonalDataDeclaration } from '@passerelle/event-store-core';
import type { PrivacyMigrationEvent } from './privacy-migration.events';

/** The record of the encryption of an existing database holds dates, positions and counts: nothing personal. */
export const privacyMigrationPersonalData: PersonalDataDeclaration<PrivacyMigrationEvent> = {
  PersonalDataEncrypted: { personal: [], notPersonal: ['startedAt', 'finishedAt'] },
};
