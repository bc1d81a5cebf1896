import { ERASED } from '@passerelle/event-store-core';
import type { Queryable } from '@passerelle/event-store-postgres';
import { proposalStream } from '@passerelle/proposals';
import type {
  AccountRecord,
  AuthoredProposalRecord,
  ContactRecord,
  ExportedEmail,
  InvitationRecord,
  MinistryContactRecord,
} from './personal-data-export.types';

/**
 * The read models' rows about one subject, for their access request. Each row is read whole as JSON
 * (`to_jsonb`), so a column a read model adds or drops (striking erased people out) changes no query here;
 * only the fields the export describes are passed on.
 */

type Row = Record<string, any>;

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value as string).toISOString());
const text = (value: unknown): string => (typeof value === 'string' ? value : ERASED);
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** `personalDataErased: true` when the row says so, or one of its personal values reads `[erased]`. */
function erasedMark(row: Row, personal: unknown[]): { personalDataErased?: true } {
  return row.personal_data_erased === true || personal.includes(ERASED) ? { personalDataErased: true } : {};
}

async function rows(db: Queryable, sql: string, values: unknown[]): Promise<Row[]> {
  return (await db.query<{ row: Row }>(sql, values)).rows.map((result) => result.row);
}

export async function invitationRecords(db: Queryable, invitationIds: string[]): Promise<InvitationRecord[]> {
  if (invitationIds.length === 0) return [];
  const found = await rows(
    db,
    `SELECT to_jsonb(i) || jsonb_build_object('workshop_title', w.title) AS row
       FROM invitations i LEFT JOIN workshops w ON w.id = i.workshop_id WHERE i.id = ANY($1::uuid[])`,
    [invitationIds],
  );
  return found
    .map((row) => ({
      id: row.id,
      workshopId: row.workshop_id,
      workshopTitle: textOrNull(row.workshop_title),
      fullName: text(row.full_name),
      email: text(row.email),
      country: row.country,
      organization: text(row.organization),
      position: textOrNull(row.position_title),
      language: row.language,
      status: row.status,
      issuedAt: iso(row.issued_at),
      emailedAt: iso(row.emailed_at),
      respondedAt: iso(row.responded_at),
      remindedAt: iso(row.reminded_at),
      bounceReason: textOrNull(row.bounce_reason),
      attendedSessions: Array.isArray(row.attended_sessions) ? row.attended_sessions : [],
      ...erasedMark(row, [row.full_name, row.email, row.organization, row.position_title, row.bounce_reason]),
    }))
    .sort((a, b) => (a.issuedAt ?? '').localeCompare(b.issuedAt ?? '') || a.id.localeCompare(b.id));
}

/** The subject's own entries in their institutions' contact lists, found by the account ids their events gave them. */
export async function contactRecords(db: Queryable, institutionIds: string[], userIds: string[]): Promise<ContactRecord[]> {
  if (institutionIds.length === 0 || userIds.length === 0) return [];
  const found = await rows(db, 'SELECT to_jsonb(p) AS row FROM partner_institutions p WHERE p.id = ANY($1::uuid[]) ORDER BY p.id', [institutionIds]);
  return found.flatMap((institution) =>
    (Array.isArray(institution.contacts) ? institution.contacts : [])
      .filter((contact: Row) => userIds.includes(contact.userId))
      .map((contact: Row) => ({
        institutionId: institution.id,
        institutionName: institution.name,
        institutionCountry: institution.country,
        userId: contact.userId,
        fullName: text(contact.fullName),
        email: text(contact.email),
        language: contact.language,
        ...erasedMark(contact, [contact.fullName, contact.email]),
      })),
  );
}

/** The accounts of the subject: by the account ids their events name, and by their address. */
export async function accountRecords(db: Queryable, userIds: string[], address: string | undefined): Promise<AccountRecord[]> {
  const found = await rows(
    db,
    `SELECT to_jsonb(u) - 'password_hash' AS row FROM users u
      WHERE u.id = ANY($1::uuid[]) OR ($2::text IS NOT NULL AND lower(u.email) = lower($2)) ORDER BY u.created_at, u.id`,
    [userIds, address ?? null],
  );
  return found.map((row) => ({
    id: row.id,
    email: text(row.email),
    fullName: text(row.full_name),
    role: row.role,
    institutionId: row.institution_id ?? null,
    createdAt: iso(row.created_at),
    closedAt: iso(row.closed_at),
    ...erasedMark(row, [row.email, row.full_name]),
  }));
}

export async function ministryContactRecords(db: Queryable, countries: string[]): Promise<MinistryContactRecord[]> {
  if (countries.length === 0) return [];
  const found = await rows(db, 'SELECT to_jsonb(m) AS row FROM ministries m WHERE m.country = ANY($1::text[]) ORDER BY m.country', [countries]);
  return found.map((row) => ({
    country: row.country,
    ministryName: row.ministry_name,
    email: text(row.email),
    language: row.language,
    updatedAt: iso(row.updated_at),
    ...erasedMark(row, [row.email]),
  }));
}

/** The proposals of these institutions whose first event names one of these accounts as author. */
export async function authoredProposalRecords(db: Queryable, institutionIds: string[], userIds: string[]): Promise<AuthoredProposalRecord[]> {
  if (institutionIds.length === 0 || userIds.length === 0) return [];
  const proposals = await rows(db, 'SELECT to_jsonb(p) AS row FROM proposals p WHERE p.institution_id = ANY($1::uuid[])', [institutionIds]);
  if (proposals.length === 0) return [];
  const drafted = await db.query<{ stream_id: string }>(
    `SELECT stream_id FROM events WHERE stream_id = ANY($1::text[]) AND version = 1 AND type = 'ProposalDrafted' AND data->>'authorId' = ANY($2::text[])`,
    [proposals.map((row) => proposalStream(row.id)), userIds],
  );
  const authored = new Set(drafted.rows.map((row) => row.stream_id));
  return proposals
    .filter((row) => authored.has(proposalStream(row.id)))
    .map((row) => ({
      id: row.id,
      institutionId: row.institution_id,
      title: row.title,
      summary: row.summary,
      sectors: row.sectors,
      countries: row.countries,
      workshopId: row.workshop_id ?? null,
      durationMonths: row.duration_months,
      budget: row.budget ?? null,
      status: row.status,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      foundBy: 'author' as const,
    }))
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id));
}

/**
 * The mail ledger's rows of the subject's e-mails, by key (never by recipient): the keys of their
 * invitations' and ministry's e-mails, and the notification keys that end in one of their account ids.
 */
export async function emailRecords(db: Queryable, keys: string[], keyPatterns: string[]): Promise<ExportedEmail[]> {
  if (keys.length === 0 && keyPatterns.length === 0) return [];
  const found = await db.query<{ key: string; status: string; created_at: Date; subject: string | null }>(
    `SELECT key, status, created_at, title AS subject FROM mail_ledger m
      WHERE key = ANY($1::text[]) OR key LIKE ANY($2::text[]) ORDER BY created_at, key`,
    [keys, keyPatterns],
  );
  return found.rows.map((row) => {
    const kind = row.key.slice(0, row.key.indexOf(':'));
    const handedOver = row.status === 'sent' || row.status === 'uncertain';
    return { kind, subject: row.subject ?? kind, sentAt: handedOver ? row.created_at.toISOString() : null, status: row.status };
  });
}
