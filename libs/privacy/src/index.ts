/**
 * Personal data that can be erased (issue 20, foundation): data subjects known by a blind index of
 * their address, a key of their own kept wrapped in a separate key database, field encryption bound
 * to stream, event type and field, a per-process key cache evicted everywhere on erasure (NOTIFY),
 * and master-key rotation without downtime; EventFieldEncryption seals and opens events' personal fields.
 */
export { normaliseEmail } from './domain/email-address';
export { blindIndex } from './domain/blind-index';
export { decryptField, encryptField, fieldSubjectId, isEncryptedField, parseEncryptedField, FIELD_FORMAT } from './domain/field-cipher';
export type { EncryptedField, FieldContext, FieldReading } from './domain/field-cipher';
export { isSubjectId, type SubjectKey, type SubjectKeyState } from './domain/subject-key';
export { MasterKeyRing } from './domain/master-key-ring';
export { masterKey, type MasterKey } from './domain/key-wrap';
export { KEY_MIGRATIONS, prepareKeysDatabase } from './infrastructure/key-database';
export { prepareDatabases } from './application/prepare-databases';
export { KEY_DESTROYED_CHANNEL, type DestroyOutcome } from './infrastructure/subject-keys';
export { LISTENER_APPLICATION_NAME } from './infrastructure/key-eviction-listener';
export type { SubjectRecord } from './infrastructure/subject-registry';
export { PersonalDataVault, type VaultOptions } from './application/personal-data-vault';
export { vaultOptions } from './application/vault-options';
export { rotateMasterKey, type RotationOptions, type RotationProgress } from './application/rotate-master-key';
export { PrivacyModule } from './infrastructure/privacy.module';
export { EventFieldEncryption, UNREADABLE } from './application/event-field-encryption';
export type { SubjectEvent, SubjectCommand } from './domain/subject.events';
export { subjectDecider } from './domain/subject.decider';
export { subjectPersonalData } from './domain/subject.personal-data';
export type { PrivacyMigrationEvent } from './domain/privacy-migration.events';
export { privacyMigrationPersonalData } from './domain/privacy-migration.personal-data';
export {
  encryptExistingEvents,
  PRIVACY_MIGRATION_STREAM,
  type EncryptionOptions,
  type EncryptionProgress,
  type EncryptionSummary,
} from './application/encrypt-existing-events';
export { SubjectErasure, subjectStream, subjectIdOf, type ErasedSubject, type ErasureOutcome, type ErasureRequest, type ErasureStep, type SentMailCounter } from './application/subject-erasure';
