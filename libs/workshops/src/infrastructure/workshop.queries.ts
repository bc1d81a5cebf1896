import { Injectable } from '@nestjs/common';
import { EventStorePool, type KeysetList, ListCursors } from '@passerelle/platform';
import type { SessionData, WorkshopPlan, WorkshopStatus } from '../domain/workshop.events';
import { workshopTimeZone } from '../domain/time-zones';

export interface WorkshopSummary extends WorkshopPlan {
  id: string;
  /** Always given: the capital's zone for a workshop planned before zones were recorded. */
  timeZone: string;
  status: WorkshopStatus;
  version: number;
}

export interface WorkshopDetail extends WorkshopSummary {
  sessions: SessionData[];
  solutions: { solutionId: string; sessionId: string; company: string; title: string; sector: string }[];
  invitations: Record<'issued' | 'emailed' | 'bounced' | 'accepted' | 'declined' | 'total', number>;
}

const COLUMNS = `id, title, host_institution, city, country, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
  to_char(ends_on, 'YYYY-MM-DD') AS ends_on, themes, time_zone, status, sessions, version`;

/** Latest first. */
const WORKSHOPS: KeysetList = { name: 'workshops', columns: [['starts_on', 'date'], ['id', 'uuid']] };

@Injectable()
export class WorkshopQueries {
  constructor(
    private readonly pool: EventStorePool,
    private readonly cursors: ListCursors,
  ) {}

  async list(limit: number, cursor?: string): Promise<{ items: WorkshopSummary[]; nextCursor: string | null }> {
    const after = this.cursors.after(WORKSHOPS, cursor);
    const result = await this.pool.query(
      `SELECT ${COLUMNS} FROM workshops
       WHERE $1::date IS NULL OR (starts_on, id) < ($1::date, $2::uuid)
       ORDER BY starts_on DESC, id DESC LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return this.cursors.page(WORKSHOPS, result.rows, limit, toSummary);
  }

  async get(id: string): Promise<WorkshopDetail | null> {
    const found = await this.pool.query(`SELECT ${COLUMNS} FROM workshops WHERE id = $1`, [id]);
    if (!found.rows[0]) return null;
    const [solutions, counts] = await Promise.all([
      this.pool.query(
        'SELECT solution_id, session_id, company, title, sector FROM workshop_solutions WHERE workshop_id = $1 ORDER BY company, title',
        [id],
      ),
      this.pool.query('SELECT status, count(*)::int AS n FROM invitations WHERE workshop_id = $1 GROUP BY status', [id]),
    ]);
    const invitations = { issued: 0, emailed: 0, bounced: 0, accepted: 0, declined: 0, total: 0 };
    for (const row of counts.rows) {
      invitations[row.status as keyof typeof invitations] = row.n;
      invitations.total += row.n;
    }
    return {
      ...toSummary(found.rows[0]),
      sessions: [...found.rows[0].sessions].sort((a: SessionData, b: SessionData) => a.startsAt.localeCompare(b.startsAt)),
      solutions: solutions.rows.map((r) => ({ solutionId: r.solution_id, sessionId: r.session_id, company: r.company, title: r.title, sector: r.sector })),
      invitations,
    };
  }
}

function toSummary(row: Record<string, any>): WorkshopSummary {
  return {
    id: row.id,
    title: row.title,
    hostInstitution: row.host_institution,
    city: row.city,
    country: row.country,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    themes: row.themes,
    timeZone: workshopTimeZone({ country: row.country, timeZone: row.time_zone }),
    status: row.status,
    version: row.version,
  };
}
