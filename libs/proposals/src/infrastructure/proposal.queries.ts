import { Injectable } from '@nestjs/common';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import { EventStorePool, type KeysetList, ListCursors } from '@passerelle/platform';
import type { ProposalFields, ProposalStatus } from '../domain/proposal.events';
import { proposalStream } from '../application/change-proposal';

export interface ProposalView extends ProposalFields {
  id: string;
  institutionId: string;
  status: ProposalStatus;
  round: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ProposalDetail extends ProposalView {
  reviews: { round: number; reviewerId: string; score: number; recommendation: string; comment: string; reviewedAt: string }[];
  approvals: { approverId: string; round: number; at: string }[];
  history: { type: string; version: number; at: string; actor: string | null }[];
  /** The staff's declarations of conflicts of interest, oldest first: staff and admins only, never partners. */
  conflictDeclarations?: ConflictDeclarationView[];
}

/** One staff member's declaration on a proposal: `reason` is null when they declared no conflict. */
export interface ConflictDeclarationView {
  staffId: string;
  conflict: boolean;
  reason: string | null;
  declaredAt: string;
}

/** Newest first. */
const PROPOSALS: KeysetList = { name: 'proposals', columns: [['created_at', 'timestamp'], ['id', 'uuid']] };

@Injectable()
export class ProposalQueries {
  constructor(
    private readonly pool: EventStorePool,
    private readonly store: PostgresEventStore,
    private readonly cursors: ListCursors,
  ) {}

  /**
   * Newest first; `institutionId` limits the list to one institution's proposals (a partner's view),
   * `callId` to the proposals to one call. Cursors are bound to every filter.
   */
  async list(institutionId: string | null, status: ProposalStatus | undefined, limit: number, cursor?: string, callId?: string) {
    const binding = { institutionId, status, ...(callId ? { callId } : {}) };
    const after = this.cursors.after(PROPOSALS, cursor, binding);
    const result = await this.pool.query(
      `SELECT * FROM proposals
       WHERE ($1::uuid IS NULL OR institution_id = $1) AND ($2::text IS NULL OR status = $2) AND ($6::uuid IS NULL OR call_id = $6)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [institutionId, status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1, callId ?? null],
    );
    return this.cursors.page(PROPOSALS, result.rows, limit, toView, binding);
  }

  /** `institutionId` set (a partner's view) limits it to that institution's proposals and leaves the declarations of conflicts of interest out. */
  async get(id: string, institutionId: string | null): Promise<ProposalDetail | null> {
    const result = await this.pool.query('SELECT * FROM proposals WHERE id = $1 AND ($2::uuid IS NULL OR institution_id = $2)', [id, institutionId]);
    const row = result.rows[0];
    if (!row) return null;
    const events = await this.store.readStream(proposalStream(id));
    return {
      ...toView(row),
      reviews: row.reviews,
      approvals: row.approvals,
      // A partner never learns who stepped aside, or that anyone declared: their declarations are left out of the history too.
      history: events
        .filter((e) => institutionId === null || e.type !== 'ConflictOfInterestDeclared')
        .map((e) => ({ type: e.type, version: e.version, at: e.recordedAt.toISOString(), actor: e.metadata.actor })),
      ...(institutionId === null ? { conflictDeclarations: row.conflict_declarations } : {}),
    };
  }
}

function toView(row: Record<string, any>): ProposalView {
  return {
    id: row.id,
    institutionId: row.institution_id,
    title: row.title,
    summary: row.summary,
    sectors: row.sectors,
    countries: row.countries,
    workshopId: row.workshop_id,
    durationMonths: row.duration_months,
    budget: row.budget,
    callId: row.call_id ?? null,
    status: row.status,
    round: row.round,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}
