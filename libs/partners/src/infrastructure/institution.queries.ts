import { Injectable } from '@nestjs/common';
import { EventStorePool, type KeysetList, ListCursors } from '@passerelle/platform';
import type { InstitutionContact } from '../domain/partner-institution.events';

/** A contact as answered; `personalDataErased` when they were erased (their name and address read `[erased]`). */
export type InstitutionContactView = InstitutionContact & { personalDataErased?: true };

export interface InstitutionView {
  id: string;
  name: string;
  country: string;
  website: string | null;
  contacts: InstitutionContactView[];
  registeredAt: string;
  version: number;
  /** Present when one of its contacts was erased. */
  personalDataErased?: true;
}

/** By name. */
const INSTITUTIONS: KeysetList = { name: 'partner-institutions', columns: [['name', 'text'], ['id', 'uuid']] };

@Injectable()
export class InstitutionQueries {
  constructor(
    private readonly pool: EventStorePool,
    private readonly cursors: ListCursors,
  ) {}

  async list(limit: number, cursor?: string) {
    const after = this.cursors.after(INSTITUTIONS, cursor);
    const result = await this.pool.query(
      `SELECT * FROM partner_institutions WHERE $1::text IS NULL OR (name, id) > ($1::text, $2::uuid) ORDER BY name, id LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return this.cursors.page(INSTITUTIONS, result.rows, limit, toView);
  }

  /** The language a partner contact chose, by their account; null for an account that is no partner contact. */
  async contactLanguage(userId: string): Promise<string | null> {
    const result = await this.pool.query(
      `SELECT c->>'language' AS language FROM partner_institutions, jsonb_array_elements(contacts) c WHERE c->>'userId' = $1 LIMIT 1`,
      [userId],
    );
    return result.rows[0]?.language ?? null;
  }

  async get(id: string): Promise<InstitutionView | null> {
    const result = await this.pool.query('SELECT * FROM partner_institutions WHERE id = $1', [id]);
    return result.rows[0] ? toView(result.rows[0]) : null;
  }
}

function toView(row: Record<string, any>): InstitutionView {
  const contacts = (row.contacts as Record<string, any>[]).map(toContact);
  return {
    id: row.id,
    name: row.name,
    country: row.country,
    website: row.website,
    contacts,
    registeredAt: row.registered_at.toISOString(),
    version: row.version,
    ...(contacts.some((contact) => contact.personalDataErased) ? { personalDataErased: true } : {}),
  };
}

/** The contact as answered: their subject id stays in the read model. */
function toContact(stored: Record<string, any>): InstitutionContactView {
  return {
    userId: stored.userId,
    fullName: stored.fullName,
    email: stored.email,
    language: stored.language,
    ...(stored.personalDataErased ? { personalDataErased: true } : {}),
  };
}
