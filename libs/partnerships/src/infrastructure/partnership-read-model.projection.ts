import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@passerelle/event-store-core';
import { type ConsumerTransaction, TypedConsumer } from '@passerelle/event-store-postgres';
import type { PartnershipEvent, PartnershipStatus } from '../domain/partnership.events';
import { utcDate } from '../domain/partnership.terms';

export const PARTNERSHIP_READ_MODEL = 'partnership-read-model';

@Injectable()
export class PartnershipReadModelProjection extends TypedConsumer<PartnershipEvent> {
  constructor() {
    super({
      name: PARTNERSHIP_READ_MODEL,
      categories: ['partnership'],
      handlers: {
        PartnershipEstablished: async (event, tx) => {
          const d = event.data;
          // Established before terms were recorded: it starts on its approval's date, with no end yet.
          await tx.query(
            `INSERT INTO partnerships (id, proposal_id, institution_id, status, established_at, updated_at, version, starts_on, ends_on)
             VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
            [d.partnershipId, d.proposalId, d.institutionId, d.establishedAt, event.recordedAt, event.version, d.startsOn ?? utcDate(d.establishedAt), d.endsOn ?? null],
          );
        },
        PartnershipSuspended: (event, tx) => setStatus(tx, event, 'suspended'),
        PartnershipResumed: (event, tx) => setStatus(tx, event, 'active'),
        PartnershipConcluded: (event, tx) => setStatus(tx, event, 'concluded'),
        PartnershipExpired: (event, tx) => setStatus(tx, event, 'expired'),
        PartnershipRenewed: async (event, tx) => {
          await tx.query(
            `UPDATE partnerships SET ends_on = $2, status = CASE WHEN status = 'expired' THEN 'active' ELSE status END, updated_at = $3, version = $4 WHERE id = $1`,
            [event.data.partnershipId, event.data.endsOn, event.recordedAt, event.version],
          );
        },
        PartnershipEndReminderSent: async (event, tx) => {
          // Only the last reminder matters to the sweep: for this end, this many days before it or more are sent.
          await tx.query('UPDATE partnerships SET end_reminded_for = $2, end_reminded_days = $3, updated_at = $4, version = $5 WHERE id = $1', [
            event.data.partnershipId,
            event.data.endsOn,
            event.data.daysBefore,
            event.recordedAt,
            event.version,
          ]);
        },
        PartnershipTermChanged: async (event, tx) => {
          await tx.query('UPDATE partnerships SET starts_on = $2, ends_on = $3, updated_at = $4, version = $5 WHERE id = $1', [
            event.data.partnershipId,
            event.data.startsOn,
            event.data.endsOn,
            event.recordedAt,
            event.version,
          ]);
        },
      },
      reset: async (tx) => {
        await tx.query('TRUNCATE partnerships');
      },
    });
  }
}

async function setStatus(tx: ConsumerTransaction, event: StoredEvent<PartnershipEvent>, status: PartnershipStatus): Promise<void> {
  await tx.query('UPDATE partnerships SET status = $2, updated_at = $3, version = $4 WHERE id = $1', [
    event.data.partnershipId,
    status,
    event.recordedAt,
    event.version,
  ]);
}
