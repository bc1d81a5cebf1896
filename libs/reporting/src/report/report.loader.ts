import type { ClientBase, Pool } from 'pg';
import { ERASED } from '@passerelle/event-store-core';
import { workshopTimeZone } from '@passerelle/workshops';
import { buildReportModel, type ReportSource } from './report.build';
import type { ReportModel, ReportParticipant } from './report.model';

export class ReportWorkshopNotFound extends Error {
  constructor(readonly workshopId: string) {
    super(`No workshop ${workshopId} in the read model`);
    this.name = 'ReportWorkshopNotFound';
  }
}

type Db = Pool | Pick<ClientBase, 'query'>;

/**
 * Reads a workshop's report from the read-model tables: the workshop and its sessions, the solutions
 * presented, every invitation, and the proposals linked to the workshop (`proposals.workshop_id`) with
 * the partnership each became, if any. Given a pool, it reads in one repeatable-read snapshot, so that
 * projections running meanwhile cannot make the parts disagree; given a client, it reads in whatever
 * transaction that client is in.
 *
 * A participant whose data subject is erased (PersonalDataErased on their subject's stream) is written
 * "[erased]" in every personal field (name, address, organisation, position), whatever the invitations
 * read model holds yet, and still counts in every figure.
 */
export async function loadReportModel(db: Db, workshopId: string): Promise<ReportModel> {
  if (!isPool(db)) return buildReportModel(await readSource(db, workshopId));
  const client = await db.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const source = await readSource(client, workshopId);
    await client.query('COMMIT');
    return buildReportModel(source);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The workshop's invitations whose participant is an erased data subject: the invitation's stream names
 * them (`subject_streams`) and their subject's stream records PersonalDataErased. Ids only.
 */
const ERASED_INVITATIONS_SQL = `SELECT i.id FROM invitations i
  JOIN subject_streams ss ON ss.stream_id = 'invitation-' || i.id
  WHERE i.workshop_id = $1
    AND EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'subject-' || ss.subject_id AND e.type = 'PersonalDataErased')`;

/** The ids of the workshop's invitations whose participant is erased. */
async function erasedInvitations(db: Pick<ClientBase, 'query'>, workshopId: string): Promise<Set<string>> {
  return new Set((await db.query(ERASED_INVITATIONS_SQL, [workshopId])).rows.map((r) => r.id as string));
}

/** A participant's personal fields, which a report's stored model leaves out. */
export type ParticipantPersonalFields = 'fullName' | 'email' | 'organization' | 'position';

/**
 * A report's model as compiled, without any participant's personal field: what `report_models` keeps
 * beside the files, so that rendering the report again after an erasure changes nothing but the person.
 */
export type ImpersonalReportModel = Omit<ReportModel, 'participants'> & { participants: Omit<ReportParticipant, ParticipantPersonalFields>[] };

export function impersonalReportModel(model: ReportModel): ImpersonalReportModel {
  return { ...model, participants: model.participants.map(({ fullName: _n, email: _e, organization: _o, position: _p, ...rest }) => rest) };
}

/**
 * The model a compiled report is rendered again from: the one stored at compilation (`report_models`),
 * every figure, session, solution and proposal as then, in the same order, and each participant's
 * personal fields as the invitations read model holds them, "[erased]" for an erased participant.
 * A report compiled before models were stored is loaded from the read models as they are now.
 */
export async function loadCompiledReportModel(db: Pick<ClientBase, 'query'>, workshopId: string): Promise<ReportModel> {
  const stored = await db.query('SELECT model FROM report_models WHERE workshop_id = $1', [workshopId]);
  if (!stored.rows[0]) return loadReportModel(db, workshopId);
  const compiled = stored.rows[0].model as ImpersonalReportModel;
  // A report compiled before zones were recorded: its workshop's zone is the capital's of its country.
  const model = { ...compiled, workshop: { ...compiled.workshop, timeZone: workshopTimeZone(compiled.workshop) } };
  const erased = await erasedInvitations(db, workshopId);
  const rows = await db.query('SELECT id, full_name, email, organization, position_title FROM invitations WHERE workshop_id = $1', [workshopId]);
  const people = new Map(rows.rows.map((r) => [r.id as string, r]));
  return {
    ...model,
    participants: model.participants.map((p) => {
      const row = people.get(p.invitationId);
      if (!row || erased.has(p.invitationId)) {
        return { ...p, fullName: ERASED, email: ERASED, organization: ERASED, position: row && row.position_title === null ? null : ERASED };
      }
      return { ...p, fullName: row.full_name, email: row.email, organization: row.organization, position: row.position_title };
    }),
  };
}

function isPool(db: Db): db is Pool {
  return 'idleCount' in db && 'totalCount' in db;
}

async function readSource(db: Pick<ClientBase, 'query'>, workshopId: string): Promise<ReportSource> {
  const found = await db.query(
    `SELECT id, title, host_institution, city, country, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
            to_char(ends_on, 'YYYY-MM-DD') AS ends_on, themes, status, sessions, time_zone
     FROM workshops WHERE id = $1`,
    [workshopId],
  );
  const w = found.rows[0];
  if (!w) throw new ReportWorkshopNotFound(workshopId);
  const solutions = await db.query('SELECT solution_id, session_id, company, title, sector FROM workshop_solutions WHERE workshop_id = $1', [workshopId]);
  const invitations = await db.query(
    `SELECT id, country, organization, full_name, email, position_title, status, attended_sessions
     FROM invitations WHERE workshop_id = $1`,
    [workshopId],
  );
  const erased = await erasedInvitations(db, workshopId);
  const proposals = await db.query(
    `SELECT p.id, p.title, p.sectors, p.countries, p.status, p.round, i.name AS institution,
            s.id AS partnership_id, s.status AS partnership_status, to_char(s.established_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS established_on
     FROM proposals p
     LEFT JOIN partner_institutions i ON i.id = p.institution_id
     LEFT JOIN partnerships s ON s.proposal_id = p.id
     WHERE p.workshop_id = $1`,
    [workshopId],
  );
  return {
    workshop: {
      id: w.id,
      title: w.title,
      hostInstitution: w.host_institution,
      city: w.city,
      country: w.country,
      startsOn: w.starts_on,
      endsOn: w.ends_on,
      themes: w.themes,
      status: w.status,
      timeZone: workshopTimeZone({ country: w.country, timeZone: w.time_zone }),
    },
    sessions: (w.sessions as Record<string, string | null>[]).map((s) => ({
      sessionId: s.sessionId!,
      kind: s.kind!,
      title: s.title!,
      startsAt: s.startsAt!,
      endsAt: s.endsAt!,
      location: s.location ?? null,
    })),
    solutions: solutions.rows.map((r) => ({ solutionId: r.solution_id, sessionId: r.session_id, company: r.company, title: r.title, sector: r.sector })),
    invitations: invitations.rows.map((r) => ({
      invitationId: r.id,
      country: r.country,
      organization: erased.has(r.id) ? ERASED : r.organization,
      fullName: erased.has(r.id) ? ERASED : r.full_name,
      email: erased.has(r.id) ? ERASED : r.email,
      position: erased.has(r.id) && r.position_title !== null ? ERASED : r.position_title,
      status: r.status,
      attendedSessions: r.attended_sessions,
    })),
    proposals: proposals.rows.map((r) => ({
      proposalId: r.id,
      title: r.title,
      institution: r.institution ?? '',
      sectors: r.sectors,
      countries: r.countries,
      status: r.status,
      round: r.round,
      partnership: r.partnership_id ? { partnershipId: r.partnership_id, status: r.partnership_status, establishedOn: r.established_on } : null,
    })),
  };
}
