import { Injectable } from '@nestjs/common';
import { eventsAt, type PointInTime, type StoredEvent } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { PartnershipEvent, PartnershipStatus } from '../domain/partnership.events';
import { partnershipStream } from '../application/change-partnership';
import type { PartnershipView } from './partnership.queries';

const STATUS_AFTER: Partial<Record<PartnershipEvent['type'], PartnershipStatus>> = {
  PartnershipSuspended: 'suspended',
  PartnershipResumed: 'active',
  PartnershipConcluded: 'concluded',
};

/** A partnership as it was at a point of its past, folded from its stream (never the read model). */
@Injectable()
export class PartnershipPastQueries {
  constructor(private readonly store: PostgresEventStore) {}

  /** Null when it did not exist then, or belongs to another institution than `institutionId` (a partner's view): the same answer either way. */
  async get(id: string, institutionId: string | null, point: PointInTime): Promise<PartnershipView | null> {
    const past = partnershipAsItWas(eventsAt(await this.store.readStream<PartnershipEvent>(partnershipStream(id)), point));
    return past && (institutionId === null || past.institutionId === institutionId) ? past : null;
  }
}

/**
 * A partnership's detail as it was after `events` (its stream's first events, in order), in the shape of
 * today's detail. Null when the stream had not begun. Events of types this fold does not know count in the
 * version and change nothing else.
 */
export function partnershipAsItWas(events: readonly StoredEvent<PartnershipEvent>[]): PartnershipView | null {
  const [first] = events;
  if (first?.type !== 'PartnershipEstablished') return null;
  const { partnershipId, proposalId, institutionId, establishedAt } = first.data;
  let past: PartnershipView = { id: partnershipId, proposalId, institutionId, status: 'active', establishedAt: new Date(establishedAt).toISOString(), version: first.version };
  for (const event of events) past = { ...past, status: STATUS_AFTER[event.type] ?? past.status, version: event.version };
  return past;
}
