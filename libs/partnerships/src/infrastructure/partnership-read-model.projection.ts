import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { StoredEvent } from '@passerelle/event-store-core';
import type { EventConsumer } from '@passerelle/event-store-postgres';
import type { PartnershipEvent } from '../domain/partnership.events';

export const PARTNERSHIP_READ_MODEL = 'partnership-read-model';
const STATUS: Record<string, string> = { PartnershipSuspended: 'suspended', PartnershipResumed: 'active', PartnershipConcluded: 'concluded' };

@Injectable()
export class PartnershipReadModelProjection implements EventConsumer {
  readonly name = PARTNERSHIP_READ_MODEL;
  readonly categories = ['partnership'];

  filter(event: StoredEvent): boolean {
    return event.category === 'partnership';
  }

  async handle(events: StoredEvent[], tx: PoolClient): Promise<void> {
    for (const stored of events) {
      const event = stored as StoredEvent & PartnershipEvent;
      if (event.type === 'PartnershipEstablished') {
        const d = event.data;
        await tx.query(
          `INSERT INTO partnerships (id, proposal_id, institution_id, status, established_at, updated_at, version)
           VALUES ($1, $2, $3, 'active', $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
          [d.partnershipId, d.proposalId, d.institutionId, d.establishedAt, event.recordedAt, event.version],
        );
      } else {
        await tx.query('UPDATE partnerships SET status = $2, updated_at = $3, version = $4 WHERE id = $1', [
          event.data.partnershipId,
          STATUS[event.type],
          event.recordedAt,
          event.version,
        ]);
      }
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE partnerships');
  }
}
