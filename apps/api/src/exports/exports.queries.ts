import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { EventStorePool } from '@passerelle/platform';
import { workshopTimeZone } from '@passerelle/workshops';
import type { ParticipantsExport, PartnershipExportRow, ProposalExportRow } from './exports.workbooks';

/** What the proposals and partnerships workbooks may be limited to. */
export interface ExportFilter {
  /** Only the proposals (partnerships: whose proposal) naming this country (ISO 3166-1 alpha-2). */
  country?: string;
  /** Only the proposals to this call (partnerships: whose proposal answers it). */
  callId?: string;
}

/** Rows fetched from the cursor at a time: what an export holds in memory at most, whatever its size. */
const BATCH = 1000;

/**
 * The proposals, newest first, with their institution, the title of the call they answer, the number and
 * mean score of their current round's reviews and their current approvals. $1 a country, $2 a call.
 */
const PROPOSALS_SQL = `SELECT p.id, p.title, p.status, p.round, p.sectors, p.countries, p.duration_months, p.budget, p.created_at, p.updated_at,
    i.name AS institution, i.country AS institution_country, c.title AS call, jsonb_array_length(p.approvals) AS approvals, r.n AS reviews, r.average
  FROM proposals p
  LEFT JOIN partner_institutions i ON i.id = p.institution_id
  LEFT JOIN calls c ON c.id = p.call_id
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS n, avg((x->>'score')::numeric)::float8 AS average
    FROM jsonb_array_elements(p.reviews) x WHERE (x->>'round')::int = p.round
  ) r ON true
  WHERE ($1::text IS NULL OR p.countries @> jsonb_build_array($1::text)) AND ($2::uuid IS NULL OR p.call_id = $2)
  ORDER BY p.created_at DESC, p.id DESC`;

/** The partnerships, newest first, with their institution and the proposal they came from; $1 a country, $2 the call of that proposal. */
const PARTNERSHIPS_SQL = `SELECT s.id, s.status, s.established_at, s.starts_on::text AS starts_on, s.ends_on::text AS ends_on, i.name AS institution, i.country AS institution_country, p.title AS proposal, p.countries
  FROM partnerships s
  LEFT JOIN partner_institutions i ON i.id = s.institution_id
  LEFT JOIN proposals p ON p.id = s.proposal_id
  WHERE ($1::text IS NULL OR p.countries @> jsonb_build_array($1::text)) AND ($2::uuid IS NULL OR p.call_id = $2)
  ORDER BY s.established_at DESC, s.id DESC`;

/**
 * Rows of `sql` read through a server-side cursor, BATCH at a time, in one read-only repeatable-read
 * snapshot (so that projections running meanwhile cannot make a workbook disagree with itself). The
 * connection goes back to the pool when the rows are all read, or when the reader stops early.
 */
async function* cursorRows(pool: Pool, sql: string, params: unknown[]): AsyncGenerator<Record<string, any>> {
  const client: PoolClient = await pool.connect();
  let committed = false;
  let broken = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const batch = await client.query(`FETCH ${BATCH} FROM export_rows`);
      for (const row of batch.rows) yield row;
      if (batch.rows.length < BATCH) break;
    }
    await client.query('COMMIT');
    committed = true;
  } finally {
    // Stopped early (the download was cancelled) or failed: the transaction and its cursor are dropped.
    if (!committed) await client.query('ROLLBACK').catch(() => (broken = true));
    client.release(broken);
  }
}

/** The proposals workbook's rows, read from the read models (proposals, partner_institutions, calls). */
export function proposalExportRows(pool: Pool, filter: ExportFilter = {}): AsyncGenerator<ProposalExportRow> {
  return mapRows(cursorRows(pool, PROPOSALS_SQL, [filter.country ?? null, filter.callId ?? null]), (row) => ({
    id: row.id,
    title: row.title,
    institution: row.institution,
    institutionCountry: row.institution_country,
    call: row.call ?? null,
    status: row.status,
    round: row.round,
    averageScore: row.average,
    reviews: row.reviews,
    approvals: row.approvals,
    sectors: row.sectors,
    countries: row.countries,
    durationMonths: row.duration_months,
    budget: row.budget ? { amount: Number(row.budget.amount), currency: row.budget.currency } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/** The partnerships workbook's rows, read from the read models (partnerships, partner_institutions, proposals). */
export function partnershipExportRows(pool: Pool, filter: ExportFilter = {}): AsyncGenerator<PartnershipExportRow> {
  return mapRows(cursorRows(pool, PARTNERSHIPS_SQL, [filter.country ?? null, filter.callId ?? null]), (row) => ({
    id: row.id,
    institution: row.institution,
    institutionCountry: row.institution_country,
    proposal: row.proposal,
    countries: row.countries ?? [],
    status: row.status,
    establishedAt: row.established_at,
    startsOn: row.starts_on ? new Date(`${row.starts_on}T00:00:00.000Z`) : null,
    endsOn: row.ends_on ? new Date(`${row.ends_on}T00:00:00.000Z`) : null,
  }));
}

async function* mapRows<T>(rows: AsyncGenerator<Record<string, any>>, map: (row: Record<string, any>) => T): AsyncGenerator<T> {
  for await (const row of rows) yield map(row);
}

/**
 * A workshop's programme and participants (its invitations, in the order they were issued; `country`
 * limits them to one delegation), each participant with the titles of the sessions they attended in
 * programme order, with the workshop's zone (workshopTimeZone: the one staff named, else its capital's);
 * null when there is no such workshop. A workshop's invitations are few enough (thousands) to be read at
 * once. An erased participant's personal fields read "[erased]" in the invitations read model.
 */
export async function participantExportRows(pool: Pool, workshopId: string, country?: string): Promise<ParticipantsExport | null> {
  const workshop = await pool.query('SELECT country, time_zone, sessions FROM workshops WHERE id = $1', [workshopId]);
  if (!workshop.rows[0]) return null;
  const { country: workshopCountry, time_zone: timeZone } = workshop.rows[0];
  const sessions = [...(workshop.rows[0].sessions as StoredSession[])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const invitations = await pool.query(
    `SELECT full_name, organization, position_title, country, language, status, emailed_at, responded_at, attended_sessions
     FROM invitations WHERE workshop_id = $1 AND ($2::text IS NULL OR country = $2) ORDER BY issued_at, id`,
    [workshopId, country ?? null],
  );
  return {
    timeZone: workshopTimeZone({ country: workshopCountry, timeZone: timeZone }),
    sessions: sessions.map((s) => ({ kind: s.kind, title: s.title, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt), location: s.location ?? null })),
    participants: invitations.rows.map((row) => {
      const attended = new Set(row.attended_sessions as string[]);
      return {
        fullName: row.full_name,
        organization: row.organization,
        position: row.position_title,
        country: row.country,
        language: row.language,
        status: row.status,
        emailedAt: row.emailed_at,
        respondedAt: row.responded_at,
        sessions: sessions.filter((s) => attended.has(s.sessionId)).map((s) => s.title),
      };
    }),
  };
}

/** A session as the workshops read model keeps it (WorkshopSessionAdded's data). */
interface StoredSession {
  sessionId: string;
  kind: string;
  title: string;
  startsAt: string;
  endsAt: string;
  location?: string | null;
}

/** The exports' reads, on the API's pool. */
@Injectable()
export class ExportQueries {
  constructor(private readonly pool: EventStorePool) {}

  proposals(filter: ExportFilter): AsyncGenerator<ProposalExportRow> {
    return proposalExportRows(this.pool, filter);
  }

  partnerships(filter: ExportFilter): AsyncGenerator<PartnershipExportRow> {
    return partnershipExportRows(this.pool, filter);
  }

  participants(workshopId: string, country?: string): Promise<ParticipantsExport | null> {
    return participantExportRows(this.pool, workshopId, country);
  }
}
