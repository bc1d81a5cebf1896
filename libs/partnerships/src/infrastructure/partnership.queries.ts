import { Injectable } from '@nestjs/common';
import { EventStorePool, type KeysetList, ListCursors } from '@passerelle/platform';

export interface PartnershipView {
  id: string;
  proposalId: string;
  institutionId: string;
  status: string;
  establishedAt: string;
  /** The term, `YYYY-MM-DD`, both days included; `endsOn` null for a partnership established before terms were recorded until staff set one. */
  startsOn: string | null;
  endsOn: string | null;
  version: number;
}

/** Newest first. */
const PARTNERSHIPS: KeysetList = { name: 'partnerships', columns: [['established_at', 'timestamp'], ['id', 'uuid']] };

@Injectable()
export class PartnershipQueries {
  constructor(
    private readonly pool: EventStorePool,
    private readonly cursors: ListCursors,
  ) {}

  /** `institutionId` limits the list to one institution's partnerships (a partner's view); its cursors are bound to it. */
  async list(institutionId: string | null, limit: number, cursor?: string) {
    const binding = { institutionId };
    const after = this.cursors.after(PARTNERSHIPS, cursor, binding);
    const result = await this.pool.query(
      `SELECT *, starts_on::text AS starts_on_text, ends_on::text AS ends_on_text FROM partnerships WHERE ($1::uuid IS NULL OR institution_id = $1)
         AND ($2::timestamptz IS NULL OR (established_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY established_at DESC, id DESC LIMIT $4`,
      [institutionId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return this.cursors.page(PARTNERSHIPS, result.rows, limit, toView, binding);
  }

  async get(id: string, institutionId: string | null): Promise<PartnershipView | null> {
    const result = await this.pool.query('SELECT *, starts_on::text AS starts_on_text, ends_on::text AS ends_on_text FROM partnerships WHERE id = $1 AND ($2::uuid IS NULL OR institution_id = $2)', [id, institutionId]);
    return result.rows[0] ? toView(result.rows[0]) : null;
  }
}

function toView(row: Record<string, any>): PartnershipView {
  return {
    id: row.id,
    proposalId: row.proposal_id,
    institutionId: row.institution_id,
    status: row.status,
    establishedAt: row.established_at.toISOString(),
    startsOn: row.starts_on_text ?? null,
    endsOn: row.ends_on_text ?? null,
    version: row.version,
  };
}
