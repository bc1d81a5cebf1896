import { Injectable } from '@nestjs/common';
import { Clock, EventStorePool, type KeysetList, ListCursors } from '@passerelle/platform';
import type { CallClosedBy, CallFields, CallStatus } from '../domain/call.events';

/** A call as staff and partners read it: what staff wrote when opening it, and where it stands. */
export interface CallView extends CallFields {
  id: string;
  status: CallStatus;
  /** When it closed (its closing time, or when staff closed it early), who closed it and why: null while not recorded closed. */
  closedAt: string | null;
  closedBy: CallClosedBy | null;
  closeReason: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Newest first. */
const CALLS: KeysetList = { name: 'calls', columns: [['created_at', 'timestamp'], ['id', 'uuid']] };

/** The status of a row at the time $1, as callStatusAt computes it from the stream. */
const STATUS_SQL = `CASE WHEN closed_at IS NOT NULL OR closes_at <= $1 THEN 'closed' WHEN opens_at > $1 THEN 'scheduled' ELSE 'open' END`;

@Injectable()
export class CallQueries {
  constructor(
    private readonly pool: EventStorePool,
    private readonly cursors: ListCursors,
    private readonly clock: Clock,
  ) {}

  /**
   * Newest first, with their status now (the app's Clock). `onlyOpen` (a partner's view) leaves out every
   * call that is not open; `status` filters further. Cursors are bound to both.
   */
  async list(onlyOpen: boolean, status: CallStatus | undefined, limit: number, cursor?: string) {
    const binding = { view: onlyOpen ? 'open' : 'all', status };
    const after = this.cursors.after(CALLS, cursor, binding);
    const result = await this.pool.query(
      `SELECT *, ${STATUS_SQL} AS status FROM calls
       WHERE ($2::text IS NULL OR ${STATUS_SQL} = $2) AND (NOT $3::boolean OR ${STATUS_SQL} = 'open')
         AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $6`,
      [new Date(this.clock.now()), status ?? null, onlyOpen, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return this.cursors.page(CALLS, result.rows, limit, toView, binding);
  }

  /** `onlyOpen` (a partner's view): a call that is not open now is null, as one that does not exist. */
  async get(id: string, onlyOpen: boolean): Promise<CallView | null> {
    const result = await this.pool.query(`SELECT *, ${STATUS_SQL} AS status FROM calls WHERE id = $2`, [new Date(this.clock.now()), id]);
    const row = result.rows[0];
    if (!row || (onlyOpen && row.status !== 'open')) return null;
    return toView(row);
  }
}

function toView(row: Record<string, any>): CallView {
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    sectors: row.sectors,
    countries: row.countries,
    opensAt: row.opens_at.toISOString(),
    closesAt: row.closes_at.toISOString(),
    workshopId: row.workshop_id,
    budgetCeiling: row.budget_ceiling,
    status: row.status,
    closedAt: row.closed_at?.toISOString() ?? null,
    closedBy: row.closed_by,
    closeReason: row.close_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}
