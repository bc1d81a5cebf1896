import { Injectable } from '@nestjs/common';
import { type AccountDirectory, type AccountStanding, EventStorePool } from '@passerelle/platform';

/** The auth guard's view of the users table: one indexed read by id. */
@Injectable()
export class UsersDirectory implements AccountDirectory {
  constructor(private readonly pool: EventStorePool) {}

  async find(id: string): Promise<AccountStanding | null> {
    const result = await this.pool.query(
      'SELECT id, email, role, institution_id, closed_at IS NOT NULL AS closed, token_generation FROM users WHERE id = $1',
      [id],
    );
    const row = result.rows[0];
    if (!row) return null;
    return { id: row.id, email: row.email, role: row.role, institutionId: row.institution_id, closed: row.closed, tokenGeneration: row.token_generation };
  }
}
