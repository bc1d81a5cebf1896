import { Injectable } from '@nestjs/common';
import { EventStorePool, type KeysetList, ListCursors, type Page } from '@passerelle/platform';
import type { MinistryContact } from '../domain/ministry.events';

/** `personalDataErased` when the contact was erased: their address reads `[erased]`. */
export type MinistryView = MinistryContact & { updatedAt: string; version: number; personalDataErased?: true };

/** One page holds every country (there are fewer than 500), so this list never gives a cursor and takes none. */
const MINISTRIES: KeysetList = { name: 'ministries', columns: [] };

@Injectable()
export class MinistryQueries {
  constructor(
    private readonly pool: EventStorePool,
    private readonly cursors: ListCursors,
  ) {}

  /** Every ministry contact by country; a cursor (none was ever given) is a 400 like on every list. */
  async list(cursor?: string): Promise<Page<MinistryView>> {
    this.cursors.after(MINISTRIES, cursor);
    const result = await this.pool.query('SELECT * FROM ministries ORDER BY country');
    const items = result.rows.map((row) => ({
      country: row.country,
      ministryName: row.ministry_name,
      email: row.email,
      language: row.language,
      updatedAt: row.updated_at.toISOString(),
      version: row.version,
      ...(row.personal_data_erased ? { personalDataErased: true as const } : {}),
    }));
    return { items, nextCursor: null };
  }
}
