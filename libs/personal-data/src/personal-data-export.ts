import { ERASED, type PersonalDataCodec, type PersonalDataRegistry } from '@passerelle/event-store-core';
import type { PostgresEventStore } from '@passerelle/event-store-postgres';
import { invitationStream, invitationIdOf } from '@passerelle/invitations';
import { notificationLedgerKey, type NotificationMailJob } from '@passerelle/mail';
import { institutionStream, institutionIdOf } from '@passerelle/partners';
import { type PersonalDataVault, subjectStream, UNREADABLE } from '@passerelle/privacy';
import { ministryCountryOf, ministryStream, reportStream, reportWorkshopIdOf } from '@passerelle/reporting';
import type { ExportedEvent, PersonalDataExport } from './personal-data-export.types';
import { accountRecords, authoredProposalRecords, contactRecords, emailRecords, invitationRecords, ministryContactRecords } from './personal-data-records';
import { subjectsCopy, subjectsNamedIn } from './subject-fields';

/** The kinds of notification e-mail, whose ledger keys end in the account they went to. */
const NOTIFICATION_KINDS: NotificationMailJob['kind'][] = ['account-activation', 'proposal-decision'];

interface EventRow {
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: unknown;
  recorded_at: Date;
}

/** What the subject's events say about where else to look for them. */
interface Leads {
  /** Their address, decrypted from an event (undefined once erased). */
  address?: string;
  /** The accounts their partner-contact events gave them. */
  userIds: Set<string>;
  institutionIds: Set<string>;
  invitationIds: Set<string>;
  /** Countries whose ministry contact is theirs now (the last event of that ministry's stream names them). */
  ministryCountries: Set<string>;
  /** Mail ledger keys of the ministry reports sent to them. */
  reportKeys: Set<string>;
}

/**
 * Access requests (issue 20, API.md "Personal data"): everything Passerelle holds about one data subject,
 * decrypted, and nothing of anyone else.
 * - events: every event of the streams that name them (`subject_streams`) that holds a personal field of
 *   theirs, plus the events naming no one of the streams opened about them alone (an invitation's
 *   e-mailing, answer and attendance) and the record of their erasure; in each, their own personal fields
 *   are decrypted and everyone else's left out (told apart by the subject id each sealed value keeps in
 *   clear, so no one else's field is ever decrypted);
 * - records: the read models' rows about them (invitations, their own entry as a partner contact, their
 *   accounts, the ministry contacts that are their address, the proposals they drafted);
 * - emails: the mail ledger's rows of the e-mails sent to them, matched by key.
 * An erased subject's personal fields read `[erased]`, as everywhere.
 */
export class PersonalDataExporter {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly codec: PersonalDataCodec,
    private readonly vault: PersonalDataVault,
    private readonly registry: PersonalDataRegistry,
    private readonly now: () => number = Date.now,
  ) {}

  /** The export of a subject, living or erased; undefined when there is no such subject. */
  async forSubject(subjectId: string): Promise<PersonalDataExport | undefined> {
    if (!(await this.vault.subject(subjectId))) return undefined;
    const generatedAt = new Date(this.now()).toISOString();
    const { events, leads } = await this.events(subjectId);
    return { subjectId, generatedAt, events, ...(await this.recordsAndEmails(leads)) };
  }

  /**
   * The export for a partner's own account: that of the subject of its address. An address no event ever
   * named has no subject: the export then holds what is found from the account alone (the account itself,
   * its activation e-mail, the proposals it drafted), with `subjectId` null, rather than a 404.
   */
  async forAccount(account: { id: string; email: string }): Promise<PersonalDataExport> {
    const subject = await this.vault.findSubject(account.email);
    const exported = subject && (await this.forSubject(subject.subjectId));
    if (exported) return exported;
    const generatedAt = new Date(this.now()).toISOString();
    const leads: Leads = { address: account.email, userIds: new Set([account.id]), ...noLeads() };
    return { subjectId: null, generatedAt, events: [], ...(await this.recordsAndEmails(leads)) };
  }

  private async events(subjectId: string): Promise<{ events: ExportedEvent[]; leads: Leads }> {
    const db = this.store.pool;
    const named = await db.query<{ stream_id: string }>('SELECT stream_id FROM subject_streams WHERE subject_id = $1', [subjectId]);
    const streamIds = [...named.rows.map((row) => row.stream_id), subjectStream(subjectId)];
    const { rows } = await db.query<EventRow>(
      'SELECT stream_id, version, type, schema_version, data, recorded_at FROM events WHERE stream_id = ANY($1::text[]) ORDER BY position',
      [streamIds],
    );
    const namesOf = rows.map((row) => subjectsNamedIn(row.data));
    // Streams opened about the subject alone: their first event names them and no one else.
    const theirOwn = new Set([subjectStream(subjectId)]);
    rows.forEach((row, i) => row.version === 1 && namesOf[i].size === 1 && namesOf[i].has(subjectId) && theirOwn.add(row.stream_id));
    const lastOfStream = new Map(rows.map((row, i) => [row.stream_id, i]));

    const leads: Leads = { userIds: new Set(), ...noLeads() };
    const events: ExportedEvent[] = [];
    for (const [i, row] of rows.entries()) {
      const names = namesOf[i];
      if (!names.has(subjectId) && !(names.size === 0 && theirOwn.has(row.stream_id))) continue;
      const opened = await this.codec.open({ streamId: row.stream_id, type: row.type, data: subjectsCopy(row.data, subjectId) });
      const data = this.store.upcasters.upcast(row.type, row.schema_version, opened.data).data;
      events.push({ streamId: row.stream_id, type: row.type, recordedAt: row.recorded_at.toISOString(), data, ...(opened.erased ? { personalDataErased: true as const } : {}) });
      this.follow(leads, row, data, lastOfStream.get(row.stream_id) === i);
    }
    return { events, leads };
  }

  /** Notes what one of the subject's events (their copy, decrypted) says about where else they are. */
  private follow(leads: Leads, row: EventRow, data: any, lastOfStream: boolean): void {
    for (const field of this.registry.get(row.type)?.fields.personal ?? []) {
      // A field that is its own subject is the subject's address.
      if (field.subject !== field.path || leads.address) continue;
      const address = valuesAt(data, field.path).find((value) => typeof value === 'string' && value !== '' && value !== ERASED && value !== UNREADABLE);
      if (typeof address === 'string') leads.address = address;
    }
    const id = (build: (id: string) => string, parse: (streamId: string) => string) => (row.stream_id.startsWith(build('')) ? parse(row.stream_id) : undefined);
    const invitationId = id(invitationStream, invitationIdOf);
    if (invitationId) leads.invitationIds.add(invitationId);
    const institutionId = id(institutionStream, institutionIdOf);
    if (institutionId && typeof data?.contact?.userId === 'string') {
      leads.institutionIds.add(institutionId);
      leads.userIds.add(data.contact.userId);
    }
    const country = id(ministryStream, ministryCountryOf);
    if (country && lastOfStream) leads.ministryCountries.add(country);
    const workshopId = id(reportStream, reportWorkshopIdOf);
    // The mail ledger's key of a ministry's report e-mail (DeliverReportHandler).
    if (workshopId && row.type.startsWith('ReportDelivery') && typeof data?.country === 'string') leads.reportKeys.add(`report:${workshopId}:${data.country}`);
  }

  private async recordsAndEmails(leads: Leads): Promise<Pick<PersonalDataExport, 'records' | 'emails'>> {
    const db = this.store.pool;
    const userIds = [...leads.userIds];
    const accounts = await accountRecords(db, userIds, leads.address);
    for (const account of accounts) {
      leads.userIds.add(account.id);
      if (account.institutionId) leads.institutionIds.add(account.institutionId);
    }
    const allUserIds = [...leads.userIds];
    const institutionIds = [...leads.institutionIds];
    const invitationIds = [...leads.invitationIds];
    const records = {
      invitations: await invitationRecords(db, invitationIds),
      contacts: await contactRecords(db, institutionIds, allUserIds),
      accounts,
      ministryContacts: await ministryContactRecords(db, [...leads.ministryCountries]),
      proposalsAuthored: await authoredProposalRecords(db, institutionIds, allUserIds),
    };
    // Ledger keys as the worker writes them: `<kind>:<invitationId>`, `report:<workshopId>:<country>`, notificationLedgerKey.
    const keys = [...invitationIds.flatMap((invitationId) => [`invitation:${invitationId}`, `invitation-reminder:${invitationId}`]), ...leads.reportKeys];
    const patterns = allUserIds.flatMap((recipientUserId) => NOTIFICATION_KINDS.map((kind) => notificationLedgerKey({ kind, eventId: '%', recipientUserId })));
    return { records, emails: await emailRecords(db, keys, patterns) };
  }
}

function noLeads(): Omit<Leads, 'address' | 'userIds'> {
  return { institutionIds: new Set(), invitationIds: new Set(), ministryCountries: new Set(), reportKeys: new Set() };
}

/** The values at a declared path (`contact.email`, `invitations[].email`). */
function valuesAt(data: unknown, path: string): unknown[] {
  let current: unknown[] = [data];
  for (const part of path.split('.')) {
    const name = part.endsWith('[]') ? part.slice(0, -2) : part;
    current = current.map((value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined));
    if (part.endsWith('[]')) current = current.flatMap((value) => (Array.isArray(value) ? value : []));
  }
  return current;
}
