/**
 * The answer to an access request (API.md, "Personal data"): everything Passerelle holds about one data
 * subject, decrypted, and nothing of anyone else. Personal fields of an erased subject read `[erased]`,
 * and the items that held them carry `personalDataErased: true`.
 */
export interface PersonalDataExport {
  /** Null only for a partner whose address no event ever named (GET /api/me/personal-data). */
  subjectId: string | null;
  generatedAt: string;
  /** Every event that names the subject, oldest first, with only the subject's own personal fields. */
  events: ExportedEvent[];
  records: ExportedRecords;
  /** The e-mails sent to the subject (or refused by their mail server), from the mail ledger. */
  emails: ExportedEmail[];
}

export interface ExportedEvent {
  streamId: string;
  type: string;
  recordedAt: string;
  data: unknown;
  personalDataErased?: true;
}

/** The read models' rows about the subject, as the read models hold them now. */
export interface ExportedRecords {
  invitations: InvitationRecord[];
  contacts: ContactRecord[];
  accounts: AccountRecord[];
  ministryContacts: MinistryContactRecord[];
  proposalsAuthored: AuthoredProposalRecord[];
}

/** An invitation to a workshop, as staff see it in the workshop's invitation list. */
export interface InvitationRecord {
  id: string;
  workshopId: string;
  workshopTitle: string | null;
  fullName: string;
  email: string;
  country: string;
  organization: string;
  position: string | null;
  language: string;
  status: string;
  issuedAt: string | null;
  emailedAt: string | null;
  respondedAt: string | null;
  remindedAt: string | null;
  bounceReason: string | null;
  attendedSessions: string[];
  personalDataErased?: true;
}

/** The subject as a contact of a partner institution (their own entry only, not the other contacts'). */
export interface ContactRecord {
  institutionId: string;
  institutionName: string;
  institutionCountry: string;
  userId: string;
  fullName: string;
  email: string;
  language: string;
  personalDataErased?: true;
}

/** The subject's account (never its password hash). */
export interface AccountRecord {
  id: string;
  email: string;
  fullName: string;
  role: string;
  institutionId: string | null;
  createdAt: string | null;
  closedAt: string | null;
  personalDataErased?: true;
}

/** A country's ministry contact while it is the subject's address. */
export interface MinistryContactRecord {
  country: string;
  ministryName: string;
  email: string;
  language: string;
  updatedAt: string | null;
  personalDataErased?: true;
}

/**
 * A proposal the subject drafted: found by the account id its first event (`ProposalDrafted.authorId`)
 * records, among the proposals of the subject's institution, since the proposals read model does not hold
 * the author. Reviews and approvals are staff's and are not part of it.
 */
export interface AuthoredProposalRecord {
  id: string;
  institutionId: string;
  title: string;
  summary: string;
  sectors: string[];
  countries: string[];
  workshopId: string | null;
  durationMonths: number;
  budget: { amount: number; currency: string } | null;
  status: string;
  createdAt: string | null;
  updatedAt: string | null;
  foundBy: 'author';
}

export interface ExportedEmail {
  /** What the e-mail was: invitation, invitation-reminder, report, account-activation, proposal-decision. */
  kind: string;
  /** The subject line when the ledger keeps it; else the kind. */
  subject: string;
  /** When it was handed to the mail server; null when it was not (refused, or still being sent). */
  sentAt: string | null;
  /** The ledger's status: sent, rejected (the server refused it), uncertain (the send was interrupted), sending. */
  status: string;
}
