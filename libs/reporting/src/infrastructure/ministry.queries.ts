import { Injectable } from '@nestjs/common';
import { EventStorePool } from '@passerelle/platform';
import type { MinistryContact } from '../domain/ministry.events';

@Injectable()
export class MinistryQueries {
  constructor(private readonly pool: EventStorePool) {}

  async list(): Promise<(MinistryContact & { updatedAt: string; version: number })[]> {
    const result = await this.pool.query('SELECT * FROM ministries ORDER BY country');
    return result.rows.map((row) => ({
      country: row.country,
      ministryName: row.ministry_name,
      email: row.email,
      language: row.language,
      updatedAt: row.updated_at.toISOString(),
      version: row.version,
    }));
  }
}
