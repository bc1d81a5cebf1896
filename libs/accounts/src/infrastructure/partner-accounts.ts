import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { EventStorePool } from '@passerelle/platform';

/** Runs queries: the pool, or a client inside the caller's transaction. */
export type Queryable = Pick<PoolClient, 'query'>;

/** A partner institution's contact, as the partners context registers it. */
export interface PartnerContact {
  userId: string;
  email: string;
  fullName: string;
  institutionId: string;
}

/** The accounts of partner institutions' contacts. */
@Injectable()
export class PartnerAccounts {
  constructor(private readonly pool: EventStorePool) {}

  /**
   * The contact's partner account, without a password (it is chosen through the activation link);
   * false when the e-mail (any case) or the id is taken. Given a transaction, the account is claimed
   * in it, so that it commits or rolls back with the events that name the contact.
   */
  async claim(contact: PartnerContact, db: Queryable = this.pool): Promise<boolean> {
    const inserted = await db.query(
      `INSERT INTO users (id, email, full_name, role, institution_id) VALUES ($1, $2, $3, 'partner', $4) ON CONFLICT DO NOTHING RETURNING id`,
      [contact.userId, contact.email, contact.fullName, contact.institutionId],
    );
    return inserted.rowCount === 1;
  }

  /** The ids of the institution's partner accounts. */
  async idsOf(institutionId: string, db: Queryable = this.pool): Promise<string[]> {
    const found = await db.query(`SELECT id FROM users WHERE role = 'partner' AND institution_id = $1`, [institutionId]);
    return found.rows.map((row: { id: string }) => row.id);
  }
}
