import { Injectable } from '@nestjs/common';
import { decodeCursor, EventStorePool, keysetPage } from '@passerelle/platform';

export interface PartnershipView {
  id: string;
  proposalId: string;
  institutionId: string;
  status: string;
  establishedAt: string;
  version: number;
}

@Injectable()
export class PartnershipQueries {
  constructor(private readonly pool: EventStorePool) {}

  async list(institutionId: string | null, limit: number, cursor?: string) {
    const after = decodeCursor(cursor, 2);
    const result = await this.pool.query(
      `SELECT * FROM partnerships WHERE ($1::uuid IS NULL OR institution_id = $1)
         AND ($2::timestamptz IS NULL OR (established_at, id) < ($2::timestamptz, $3::uuid))
       ORDER BY established_at DESC, id DESC LIMIT $4`,
      [institutionId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return keysetPage(result.rows, limit, ['established_at', 'id'], toView);
  }

  async get(id: string, institutionId: string | null): Promise<PartnershipView | null> {
    const result = await this.pool.query('SELECT * FROM partnerships WHERE id = $1 AND ($2::uuid IS NULL OR institution_id = $2)', [id, institutionId]);
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
    version: row.version,
  };
}
