import { Injectable } from '@nestjs/common';
import { eventsAt, type PointInTime, type StoredEvent } from '@passerelle/event-store-core';
import { PostgresEventStore } from '@passerelle/event-store-postgres';
import type { PartnershipEvent } from '../domain/partnership.events';
import { evolvePartnership, initialPartnershipState, type PartnershipState } from '../domain/partnership.decider';
import { partnershipStream } from '../application/change-partnership';
import type { PartnershipView } from './partnership.queries';

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
  let state: PartnershipState = initialPartnershipState();
  // The decider's own fold, so the past has the statuses and terms the decisions saw; an unknown event changes nothing.
  for (const event of events) state = evolvePartnership(state, event) ?? state;
  if (state.status === 'none') return null;
  const { partnershipId, proposalId, institutionId, status, startsOn, endsOn } = state;
  const establishedAt = new Date(first.data.establishedAt).toISOString();
  return { id: partnershipId, proposalId, institutionId, status, establishedAt, startsOn, endsOn, version: events[events.length - 1].version };
}
