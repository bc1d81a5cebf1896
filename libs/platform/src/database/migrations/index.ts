import { EventStore1764547200000 } from './1764547200000-event-store';
import { Users1764547200001 } from './1764547200001-users';
import { MailLedger1764547200002 } from './1764547200002-mail-ledger';
import { WorkshopReadModels1764547200003 } from './1764547200003-workshop-read-models';
import { PartnersProposals1764547200004 } from './1764547200004-partners-proposals';
import { Ministries1764547200005 } from './1764547200005-ministries';
import { Reports1764547200006 } from './1764547200006-reports';
import { SubscriptionCategories1764547200007 } from './1764547200007-subscription-categories';
import { InvitationsIssuedIndex1764547200008 } from './1764547200008-invitations-issued-index';
import { ReportProgressIndex1764547200009 } from './1764547200009-report-progress-index';
import { NotificationLookBackIndexes1764547200011 } from './1764547200011-notification-look-back-indexes';
import { AccountStanding1764547200012 } from './1764547200012-account-standing';
import { IdempotencyKeyExpiry1764547200013 } from './1764547200013-idempotency-key-expiry';
import { SubjectStreams1764547200014 } from './1764547200014-subject-streams';
import { ErasableReadModels1764547200015 } from './1764547200015-erasable-read-models';
import { MailLedgerSubjects1764547200016, type SubjectOfAddress } from './1764547200016-mail-ledger-subjects';
import { ReportRerendering1764547200017 } from './1764547200017-report-rerendering';
import { ErasedSubjects1764547200020 } from './1764547200020-erased-subjects';
import { PersonalDataEncryption1764547200019 } from './1764547200019-personal-data-encryption';
import { ConflictDeclarations1764547200021 } from './1764547200021-conflict-declarations';
import { WorkshopTimeZones1764547200023 } from './1764547200023-workshop-time-zones';
import { PartnershipTerms1764547200024 } from './1764547200024-partnership-terms';
import { Calls1764547200025 } from './1764547200025-calls';
import { ProposalCalls1764547200026 } from './1764547200026-proposal-calls';
import { ReminderSweeps1764547200027 } from './1764547200027-reminder-sweeps';
import { CallDeadlineReminders1764547200028 } from './1764547200028-call-deadline-reminders';
import { ConsoleSessions1764547200032 } from './1764547200032-console-sessions';

export type { SubjectOfAddress };

/** Every migration, in order. Listed by hand so that builds, tests and scripts apply the same set. */
export const MIGRATIONS = [EventStore1764547200000, Users1764547200001, MailLedger1764547200002, WorkshopReadModels1764547200003, PartnersProposals1764547200004, Ministries1764547200005, Reports1764547200006, SubscriptionCategories1764547200007, InvitationsIssuedIndex1764547200008, ReportProgressIndex1764547200009, NotificationLookBackIndexes1764547200011, AccountStanding1764547200012, IdempotencyKeyExpiry1764547200013, SubjectStreams1764547200014, ErasableReadModels1764547200015, MailLedgerSubjects1764547200016, ReportRerendering1764547200017, PersonalDataEncryption1764547200019, ErasedSubjects1764547200020, ConflictDeclarations1764547200021, WorkshopTimeZones1764547200023, PartnershipTerms1764547200024, Calls1764547200025, ProposalCalls1764547200026, ReminderSweeps1764547200027, CallDeadlineReminders1764547200028, ConsoleSessions1764547200032];

/**
 * Every migration, the mail ledger's (1764547200016) able to give the addresses of rows written before it
 * their data subject: what a process that reaches the key database applies (prepareDatabases in @passerelle/privacy).
 */
export function migrationsWithSubjects(subjectOfAddress: SubjectOfAddress): typeof MIGRATIONS {
  class WithSubjects extends MailLedgerSubjects1764547200016 {
    constructor() {
      super(subjectOfAddress);
    }
  }
  return MIGRATIONS.map((migration) => (migration === MailLedgerSubjects1764547200016 ? WithSubjects : migration));
}
